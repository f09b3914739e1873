//! Fuzzy search over what the current lens shows (`lens::search_items` of
//! its view): ranked as you type, matched characters highlighted.
//!
//! Texts are sanitized before matching, so the highlight positions are
//! positions in exactly the text that is drawn.

use super::doc::clean;
use crate::lens::{ItemRef, SearchItem};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// Highlights are computed for this many of the best hits (the list never
/// shows more at once); the rest are ranked only.
const HIGHLIGHT_TOP: usize = 200;

pub struct Candidate {
    pub target: ItemRef,
    /// `[0]` is the title; then the other text the lens shows for it.
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub cand: usize,
    pub score: i64,
    /// Which field matched best.
    pub field: usize,
    /// Matched character positions in that field.
    pub indices: Vec<usize>,
}

pub struct Search {
    pub query: String,
    pub cands: Vec<Candidate>,
    pub hits: Vec<Hit>,
    pub selected: usize,
    matcher: SkimMatcherV2,
}

impl Search {
    pub fn new(items: Vec<SearchItem>) -> Search {
        let cands = items
            .into_iter()
            .map(|i| {
                let mut fields = vec![clean(&i.title)];
                fields.extend(i.text.iter().map(|t| clean(t)));
                Candidate {
                    target: i.target,
                    fields,
                }
            })
            .collect();
        let mut s = Search {
            query: String::new(),
            cands,
            hits: vec![],
            selected: 0,
            matcher: SkimMatcherV2::default(),
        };
        s.rank();
        s
    }

    pub fn push(&mut self, c: char) {
        self.query.push(c);
        self.rank();
    }

    pub fn pop(&mut self) {
        self.query.pop();
        self.rank();
    }

    /// Rank every candidate against the query (all of them, in order, when
    /// the query is empty).
    pub fn rank(&mut self) {
        self.selected = 0;
        let q = self.query.trim();
        if q.is_empty() {
            self.hits = (0..self.cands.len())
                .map(|cand| Hit {
                    cand,
                    score: 0,
                    field: 0,
                    indices: vec![],
                })
                .collect();
            return;
        }
        let mut hits: Vec<Hit> = self
            .cands
            .iter()
            .enumerate()
            .filter_map(|(cand, c)| {
                // Best field; the title wins ties.
                let mut best: Option<(i64, usize)> = None;
                for (f, text) in c.fields.iter().enumerate() {
                    if let Some(score) = self.matcher.fuzzy_match(text, q) {
                        let score = if f == 0 { score + 1 } else { score };
                        if best.is_none_or(|(b, _)| score > b) {
                            best = Some((score, f));
                        }
                    }
                }
                best.map(|(score, field)| Hit {
                    cand,
                    score,
                    field,
                    indices: vec![],
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.cand.cmp(&b.cand)));
        for h in hits.iter_mut().take(HIGHLIGHT_TOP) {
            if let Some((_, idx)) = self
                .matcher
                .fuzzy_indices(&self.cands[h.cand].fields[h.field], q)
            {
                h.indices = idx;
            }
        }
        self.hits = hits;
    }

    pub fn move_by(&mut self, d: i32) {
        let n = self.hits.len();
        if n > 0 {
            self.selected = (self.selected as i64 + d as i64).clamp(0, n as i64 - 1) as usize;
        }
    }

    pub fn current(&self) -> Option<ItemRef> {
        let h = self.hits.get(self.selected)?;
        Some(self.cands[h.cand].target.clone())
    }

    /// `n` / `N`: the next or previous hit (wrapping), and its target.
    pub fn step(&mut self, d: i32) -> Option<ItemRef> {
        let n = self.hits.len();
        if n == 0 {
            return None;
        }
        self.selected = (self.selected as i64 + d as i64).rem_euclid(n as i64) as usize;
        self.current()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn item(id: &str, title: &str, text: &[&str]) -> SearchItem {
        SearchItem {
            target: ItemRef {
                entity: EntityKind::Feature,
                id: id.into(),
            },
            title: title.into(),
            text: text.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn ranks_and_highlights_on_the_sanitized_text() {
        let mut s = Search::new(vec![
            item("a", "Vibration alerts", &["a"]),
            item("b", "Fleet map\u{202e}", &["b", "over the air updates"]),
            item("c", "Remote config", &["c"]),
        ]);
        assert_eq!(s.hits.len(), 3);
        for c in "ota".chars() {
            s.push(c);
        }
        let top = &s.hits[0];
        assert_eq!(s.cands[top.cand].target.id, "b");
        assert_eq!(top.field, 2);
        let text: Vec<char> = s.cands[top.cand].fields[top.field].chars().collect();
        let matched: String = top.indices.iter().map(|&i| text[i]).collect();
        assert_eq!(matched.to_lowercase(), "ota");
        // The hostile character is visible, never raw.
        assert!(s.cands[1].fields[0].contains("U+202E"));
        s.pop();
        s.pop();
        s.pop();
        assert_eq!(s.hits.len(), 3);
    }

    #[test]
    fn next_and_previous_wrap() {
        let mut s = Search::new(vec![item("a", "alpha", &[]), item("b", "alps", &[])]);
        s.push('a');
        s.push('l');
        let first = s.current();
        let second = s.step(1);
        assert_ne!(first, second);
        assert_eq!(s.step(1), first);
        assert_eq!(s.step(-1), second);
    }
}
