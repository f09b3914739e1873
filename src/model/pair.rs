//! Loading two versions of one roadmap together (the two sides of a diff).
//!
//! Two versions of a roadmap share most of their entity blocks: a
//! `[[feature]]` header and everything up to the next top-level header is
//! byte for byte the same in both. Such a block is read once and its entity
//! used on both sides, its spans moved to where the block sits in each. The
//! blocks to read are split between two threads; each side is then put
//! together and validated on a thread of its own.
//!
//! Anything unusual — a block that does not read on its own, a header this
//! splitting does not know, any error — and [`load_pair`] returns `None`: the
//! caller loads both sides the plain way. So the result is always what
//! [`super::load_bytes`] gives for each side; a test checks that.

use super::doc::{self, Value};
use super::load::{self, LoadedFile};
use super::types::*;
use jiff::civil::Date;
use rayon::prelude::*;

/// The entity kinds written as top-level arrays of tables.
const KINDS: [&str; 6] = ["layer", "theme", "metric", "release", "feature", "decision"];

/// One entity read from its block.
#[derive(Clone)]
enum Entity {
    Layer(Layer),
    Theme(Theme),
    Metric(Metric),
    Release(Release),
    Feature(Feature),
    Decision(Decision),
}

impl Entity {
    /// Its spans as if its block started at `to` instead of `from`.
    fn moved(mut self, from: usize, to: usize) -> Entity {
        if from != to {
            match &mut self {
                Entity::Layer(e) => e.spans.shift(from, to),
                Entity::Theme(e) => e.spans.shift(from, to),
                Entity::Metric(e) => e.spans.shift(from, to),
                Entity::Release(e) => e.spans.shift(from, to),
                Entity::Decision(e) => e.spans.shift(from, to),
                Entity::Feature(f) => {
                    f.spans.shift(from, to);
                    for w in &mut f.work {
                        w.spans.shift(from, to);
                    }
                }
            }
        }
        self
    }
}

/// An entity block: `[[kind]]` up to the next top-level header.
struct Block {
    range: Span,
    kind: usize,
}

/// A text cut at its top-level headers: the entity blocks, and the rest
/// (the lines before the first header, `[roadmap]`, any other table).
struct Segments {
    head: Vec<Span>,
    blocks: Vec<Block>,
}

/// `Some((key, array))` when `line` is a header with a one-part bare key
/// (`[roadmap]`, `[[feature]]`), maybe indented, maybe with a comment.
fn top_header(line: &str) -> Option<(&str, bool)> {
    let l = line.trim_start_matches([' ', '\t']);
    let array = l.starts_with("[[");
    let rest = l.strip_prefix(if array { "[[" } else { "[" })?;
    let n = rest
        .bytes()
        .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        .count();
    let (key, rest) = rest.split_at(n);
    let rest = rest.strip_prefix(if array { "]]" } else { "]" })?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let ok = rest.is_empty() || rest.starts_with('#') || rest == "\r";
    (n > 0 && ok).then_some((key, array))
}

fn segments(src: &str) -> Segments {
    let mut head = Vec::new();
    let mut blocks = Vec::new();
    // The segment being collected: its start and entity kind (None: head).
    let mut open: (usize, Option<usize>) = (0, None);
    let mut close = |open: (usize, Option<usize>), end: usize| match open.1 {
        Some(kind) => blocks.push(Block {
            range: open.0..end,
            kind,
        }),
        None if end > open.0 => head.push(open.0..end),
        None => {}
    };
    let bytes = src.as_bytes();
    // Line starts: 0 and after every newline.
    for at in std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)) {
        let mut p = at;
        while let Some(b' ' | b'\t') = bytes.get(p) {
            p += 1;
        }
        if bytes.get(p) != Some(&b'[') {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(src.len(), |i| at + i);
        if let Some((key, array)) = top_header(&src[at..end]) {
            close(open, at);
            let kind = if array {
                KINDS.iter().position(|k| *k == key)
            } else {
                None
            };
            open = (at, kind);
        }
    }
    close(open, src.len());
    Segments { head, blocks }
}

/// Read one entity block on its own; `None` unless it holds exactly one
/// entity of its kind, read without any diagnostic.
fn read_block(src: &str, b: &Block) -> Option<Entity> {
    let d = doc::scan_ranges(src, [b.range.clone()])?;
    let Value::Table(root) = &d.value else {
        return None;
    };
    let [(key, node)] = root.entries.as_slice() else {
        return None;
    };
    if key.name != KINDS[b.kind] {
        return None;
    }
    let Value::Array(items) = &node.value else {
        return None;
    };
    let [item] = items.as_slice() else {
        return None;
    };
    let Value::Table(t) = &item.value else {
        return None;
    };
    let span = item.span.clone();
    Some(match b.kind {
        0 => Entity::Layer(load::read_clean(load::read_layer, t, span)?),
        1 => Entity::Theme(load::read_clean(load::read_theme, t, span)?),
        2 => Entity::Metric(load::read_clean(load::read_metric, t, span)?),
        3 => Entity::Release(load::read_clean(load::read_release, t, span)?),
        4 => Entity::Feature(load::read_clean(load::read_feature, t, span)?),
        _ => Entity::Decision(load::read_clean(load::read_decision, t, span)?),
    })
}

/// The text of a file the block way can load (not too large, not binary,
/// UTF-8); anything else is for the plain load to report.
fn text(b: &[u8]) -> Option<&str> {
    if b.len() > super::MAX_FILE_BYTES || b.contains(&0) {
        return None;
    }
    std::str::from_utf8(b).ok()
}

/// One side put together: its head read, its entities in file order.
fn assemble(
    path: &str,
    src: &str,
    head: &[Span],
    entities: impl Iterator<Item = Entity>,
    today: Date,
) -> Option<LoadedFile> {
    let d = doc::scan_ranges(src, head.iter().cloned())?;
    let Value::Table(root) = &d.value else {
        return None;
    };
    // An entity kind written in the head (`feature = [...]`, `[feature]`)
    // is for the plain load to read (or report).
    if root
        .entries
        .iter()
        .any(|(k, _)| KINDS.contains(&k.name.as_ref()))
    {
        return None;
    }
    let mut r = load::read_head(path, root, d.span.clone(), today)?;
    let mut layers = Vec::new();
    for e in entities {
        match e {
            Entity::Layer(x) => layers.push(x),
            Entity::Theme(x) => r.themes.push(x),
            Entity::Metric(x) => r.metrics.push(x),
            Entity::Release(x) => r.releases.push(x),
            Entity::Feature(x) => r.features.push(x),
            Entity::Decision(x) => r.decisions.push(x),
        }
    }
    r.layers_declared = !layers.is_empty();
    r.layers = with_default_layers(layers);
    Some(load::validated(path, src, r))
}

/// Both sides loaded with their shared blocks read once; `None` when the
/// plain load must do it (see the module's documentation).
pub fn load_pair(
    path: &str,
    old: &[u8],
    new: &[u8],
    today: Date,
) -> Option<(LoadedFile, LoadedFile)> {
    let (a, b) = (text(old)?, text(new)?);
    let (sa, sb) = rayon::join(|| segments(a), || segments(b));

    // Every block of `old`, then the blocks of `new` that `old` lacks.
    let mut jobs: Vec<(&str, &Block)> = sa.blocks.iter().map(|blk| (a, blk)).collect();
    let mut by_text: std::collections::HashMap<&str, usize, foldhash::fast::RandomState> =
        std::collections::HashMap::with_capacity_and_hasher(jobs.len(), Default::default());
    for (i, blk) in sa.blocks.iter().enumerate() {
        by_text.entry(&a[blk.range.clone()]).or_insert(i);
    }
    let b_jobs: Vec<usize> = sb
        .blocks
        .iter()
        .map(|blk| match by_text.get(&b[blk.range.clone()]) {
            Some(&i) if sa.blocks[i].kind == blk.kind => i,
            _ => {
                jobs.push((b, blk));
                jobs.len() - 1
            }
        })
        .collect();

    // Read the blocks on every core.
    let entities: Vec<Entity> = jobs
        .par_iter()
        .map(|(src, blk)| read_block(src, blk))
        .collect::<Option<Vec<Entity>>>()?;

    // The new side's copies of the blocks it shares with the old side (in
    // parallel), then its own blocks; the old side keeps the originals.
    let na = sa.blocks.len();
    let mut entities = entities;
    let mut own: Vec<Option<Entity>> = entities.split_off(na).into_iter().map(Some).collect();
    let mut b_list: Vec<Option<Entity>> = sb
        .blocks
        .par_iter()
        .zip(b_jobs.par_iter())
        .map(|(blk, &j)| {
            (j < na).then(|| {
                entities[j]
                    .clone()
                    .moved(jobs[j].1.range.start, blk.range.start)
            })
        })
        .collect();
    for (slot, &j) in b_list.iter_mut().zip(&b_jobs) {
        if j >= na {
            *slot = own[j - na].take();
        }
    }
    let (old, new) = rayon::join(
        || assemble(path, a, &sa.head, entities.into_iter(), today),
        || assemble(path, b, &sb.head, b_list.into_iter().flatten(), today),
    );
    Some((old?, new?))
}

/// Entities of blocks already read, by block text, for loading many versions
/// of a roadmap one after another (a history): each version reads only the
/// blocks that changed since the versions before it. Shared between threads;
/// blocks no recent version used are forgotten.
#[derive(Default)]
pub struct BlockCache {
    inner: std::sync::Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    /// Block text → (entity, where its block started, last load that used it).
    map: std::collections::HashMap<
        Box<str>,
        (std::sync::Arc<Entity>, usize, u64),
        foldhash::fast::RandomState,
    >,
    /// Loads so far.
    generation: u64,
}

/// Loads after which an unused block is forgotten.
const CACHE_KEEP: u64 = 8;

impl BlockCache {
    pub fn new() -> BlockCache {
        BlockCache::default()
    }

    /// Load one version: blocks seen in earlier versions come from the
    /// cache. The result is always what [`super::load_bytes`] gives.
    pub fn load(&self, path: &str, bytes: &[u8], today: Date) -> LoadedFile {
        self.load_blocks(path, bytes, today)
            .unwrap_or_else(|| super::load_bytes(path, bytes, today))
    }

    fn load_blocks(&self, path: &str, bytes: &[u8], today: Date) -> Option<LoadedFile> {
        let src = text(bytes)?;
        let seg = segments(src);
        // What the cache has (shared handles: copied outside the lock).
        let cached: Vec<Option<(std::sync::Arc<Entity>, usize)>> = {
            let mut inner = self.inner.lock().ok()?;
            inner.generation += 1;
            let generation = inner.generation;
            seg.blocks
                .iter()
                .map(|blk| {
                    let hit = inner.map.get_mut(&src[blk.range.clone()])?;
                    hit.2 = generation;
                    Some((hit.0.clone(), hit.1))
                })
                .collect()
        };
        let mut fresh = Vec::new();
        let mut entities = Vec::with_capacity(seg.blocks.len());
        for (blk, hit) in seg.blocks.iter().zip(cached) {
            let e = match hit {
                Some((e, from)) => Entity::clone(&e).moved(from, blk.range.start),
                None => {
                    let e = read_block(src, blk)?;
                    fresh.push((blk, e.clone()));
                    e
                }
            };
            entities.push(e);
        }
        if !fresh.is_empty()
            && let Ok(mut inner) = self.inner.lock()
        {
            let generation = inner.generation;
            for (blk, e) in fresh {
                let text: Box<str> = src[blk.range.clone()].into();
                inner
                    .map
                    .insert(text, (std::sync::Arc::new(e), blk.range.start, generation));
            }
            inner
                .map
                .retain(|_, (_, _, used)| *used + CACHE_KEEP >= generation);
        }
        assemble(path, src, &seg.head, entities.into_iter(), today)
    }
}
