//! git access over git2, read-only: discovery, any revision, the index, the
//! working tree, history walks. Never writes.
