#![forbid(unsafe_code)]

/// mimalloc: loading a large roadmap is allocation-heavy (a string per
/// field); with glibc's allocator two loads on two threads also contend.
/// Measured on the bench roadmap: a load 14 → 11 ms, a semantic diff of two
/// revisions 41 → 25 ms.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    roadlens::cli::main()
}
