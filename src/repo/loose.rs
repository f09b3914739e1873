//! Loose objects checked before libgit2 reads them.
//!
//! libgit2 (up to the libgit2-sys on crates.io, 1.9.x) spins at 100% CPU
//! forever when it inflates a truncated loose object (`read_loose_standard`;
//! libgit2#7342, fixed upstream by #7346 but not released in libgit2-sys).
//! So before an object is read through git2, a loose copy of it is
//! inflated here first, with flate2, streaming and bounded by the file: a
//! truncated or corrupt one gives "corrupt object <sha>" instead of a hang.
//!
//! Which objects are loose is learnt once per fan-out directory
//! (`objects/xx/`), on the first read of an id with that prefix: packed
//! repositories cost at most 256 failed directory reads, and an id is
//! looked up in memory after that. A loose object is checked once per
//! handle. Objects written after a directory was listed are not checked by
//! that handle (a new handle sees them).

use super::RepoError;
use git2::Oid;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

pub(super) struct LooseGuard {
    /// The object directories: the repository's, then its alternates'.
    dirs: Vec<PathBuf>,
    /// Fan-out byte → the loose ids there, per object directory.
    listed: RefCell<HashMap<u8, Vec<HashSet<Oid>>>>,
    /// Loose objects already found sound.
    sound: RefCell<HashSet<Oid>>,
}

impl LooseGuard {
    pub(super) fn new(repo: &git2::Repository) -> LooseGuard {
        let main = repo.commondir().join("objects");
        let mut dirs = vec![main.clone()];
        if let Ok(bytes) = crate::fsread::read_regular(&main.join("info/alternates"), 64 * 1024) {
            for line in String::from_utf8_lossy(&bytes).lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let p = Path::new(line);
                dirs.push(if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    main.join(p)
                });
            }
        }
        LooseGuard {
            dirs,
            listed: RefCell::new(HashMap::new()),
            sound: RefCell::new(HashSet::new()),
        }
    }

    /// Ok when `id` is not loose, or is loose and inflates completely.
    pub(super) fn check(&self, id: Oid) -> Result<(), RepoError> {
        if self.sound.borrow().contains(&id) {
            return Ok(());
        }
        let byte = id.as_bytes()[0];
        let at = {
            let mut listed = self.listed.borrow_mut();
            let sets = listed.entry(byte).or_insert_with(|| {
                let fan = format!("{byte:02x}");
                self.dirs
                    .iter()
                    .map(|d| list_fan_out(&d.join(&fan), &fan))
                    .collect()
            });
            sets.iter().position(|s| s.contains(&id))
        };
        let Some(at) = at else {
            return Ok(());
        };
        let hex = id.to_string();
        let path = self.dirs[at].join(&hex[..2]).join(&hex[2..]);
        inflates_completely(&path)
            .map_err(|why| RepoError::Git(format!("corrupt object {id}: {why}")))?;
        self.sound.borrow_mut().insert(id);
        Ok(())
    }
}

/// The loose object ids in one fan-out directory `dir` (named `fan`; none
/// when it does not exist).
fn list_fan_out(dir: &Path, fan: &str) -> HashSet<Oid> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashSet::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.len() == 38)
        .filter_map(|n| Oid::from_str(&format!("{fan}{n}")).ok())
        .collect()
}

/// Inflate a loose object: `<type> <size>\0` and exactly `size` bytes, then
/// the end of the zlib stream.
fn inflates_completely(path: &Path) -> Result<(), String> {
    let file = crate::fsread::open_regular(path).map_err(|e| e.to_string())?;
    let mut z = flate2::read::ZlibDecoder::new(std::io::BufReader::new(file));
    let broken = |e: std::io::Error| format!("cannot inflate it: {e}");
    let mut head = Vec::new();
    loop {
        let mut b = [0u8];
        match z.read(&mut b).map_err(broken)? {
            0 => return Err("truncated in its header".into()),
            _ if b[0] == 0 => break,
            _ if head.len() >= 64 => return Err("malformed header".into()),
            _ => head.push(b[0]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let size: u64 = match head.split_once(' ') {
        Some(("commit" | "tree" | "blob" | "tag", n)) => {
            n.parse().map_err(|_| "malformed header".to_string())?
        }
        _ => return Err("malformed header".into()),
    };
    let got = std::io::copy(&mut (&mut z).take(size), &mut std::io::sink()).map_err(broken)?;
    if got < size {
        return Err(format!("truncated ({got} of {size} bytes)"));
    }
    let mut extra = [0u8];
    match z.read(&mut extra).map_err(broken)? {
        0 => Ok(()),
        _ => Err("longer than its header says".into()),
    }
}
