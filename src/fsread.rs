//! Reading a file from disk, for every reader in roadlens (roadmap discovery
//! and loading, the working tree of a repository, the git diff driver): only
//! regular files are opened, so a FIFO, socket or device named `*.toml` can
//! never block or be read.
//!
//! The file type is checked before opening (`metadata` follows symbolic
//! links, so a link to a FIFO is a FIFO), and once more on the opened file,
//! which is opened non-blocking: a file swapped for a FIFO in between is
//! still never waited on.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Nothing there (or a path component is not a directory).
    #[error("no such file")]
    NotFound,
    /// A directory, FIFO, socket or device.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    #[error("{0}")]
    Io(std::io::Error),
}

/// What kind of file a non-regular file is, for messages.
pub fn kind_of(meta: &Metadata) -> &'static str {
    let ft = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

fn io(e: std::io::Error) -> ReadError {
    match e.kind() {
        // A name too long for the file system (a path from a crafted tree)
        // cannot be on disk either.
        std::io::ErrorKind::NotFound
        | std::io::ErrorKind::NotADirectory
        | std::io::ErrorKind::InvalidFilename => ReadError::NotFound,
        _ => ReadError::Io(e),
    }
}

/// Open `path` for reading when it is a regular file (after following
/// symbolic links); never opens anything else.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Never wait on a FIFO put there since the check above; reads of a
        // regular file do not care.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    Ok(file)
}

/// The first `cap` bytes of a regular file (all of it when shorter).
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(cap).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}
