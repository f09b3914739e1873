#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    roadlens::cli::main()
}
