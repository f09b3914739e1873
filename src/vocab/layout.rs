//! The one word-wrapper and the one truncation, for every printer and view.
//!
//! Widths are terminal columns ([`unicode_width`]). Text given here is
//! already sanitized (no control characters), so [`GLUE`] cannot collide
//! with roadmap text.

use unicode_width::UnicodeWidthChar;

/// A space the wrapper never breaks at (written out as a space). Roadmap
/// text cannot contain it: the sanitizer makes every C0 control visible.
pub const GLUE: char = '\u{1}';

/// Keep a short phrase on one line when wrapped.
pub fn glued(s: &str) -> String {
    s.replace(' ', &GLUE.to_string())
}

fn char_width(c: char) -> usize {
    if c == GLUE { 1 } else { c.width().unwrap_or(0) }
}

/// Display width in columns ([`GLUE`] counts as the space it stands for).
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// A word: pieces of text in their styles, with no break inside.
type Word<S> = Vec<(String, S)>;

enum Tok<S> {
    Word(Word<S>),
    Break,
}

fn push_piece<S: PartialEq>(w: &mut Word<S>, text: &str, st: S) {
    if text.is_empty() {
        return;
    }
    match w.last_mut() {
        Some((t, s)) if *s == st => t.push_str(text),
        _ => w.push((text.to_string(), st)),
    }
}

fn tokens<T: AsRef<str>, S: Copy + PartialEq>(segs: &[(T, S)]) -> Vec<Tok<S>> {
    let mut out = vec![];
    let mut cur: Word<S> = vec![];
    for (text, st) in segs {
        for (li, line) in text.as_ref().split('\n').enumerate() {
            if li > 0 {
                if !cur.is_empty() {
                    out.push(Tok::Word(std::mem::take(&mut cur)));
                }
                out.push(Tok::Break);
            }
            for (i, part) in line.split(' ').enumerate() {
                if i > 0 && !cur.is_empty() {
                    out.push(Tok::Word(std::mem::take(&mut cur)));
                }
                push_piece(&mut cur, part, *st);
            }
        }
    }
    if !cur.is_empty() {
        out.push(Tok::Word(cur));
    }
    out
}

/// Lay out styled segments in lines of at most `first` columns (the first
/// line) and `rest` columns (the others), breaking at spaces and at `\n`;
/// a word wider than a line is split. Each line is a list of runs of one
/// style; words are separated by one space (a space between two words of
/// the same style joins their run, else it is a run of `S::default()`);
/// [`GLUE`] comes out as a space. Always at least one (maybe empty) line.
pub fn wrap_styled<T, S>(segs: &[(T, S)], first: usize, rest: usize) -> Vec<Vec<(String, S)>>
where
    T: AsRef<str>,
    S: Copy + PartialEq + Default,
{
    let (first, rest) = (first.max(1), rest.max(1));
    let mut lines: Vec<Vec<Word<S>>> = vec![vec![]];
    let mut used = 0usize;
    let avail = |lines: &Vec<Vec<Word<S>>>| if lines.len() == 1 { first } else { rest };
    for tok in tokens(segs) {
        let w = match tok {
            Tok::Break => {
                lines.push(vec![]);
                used = 0;
                continue;
            }
            Tok::Word(w) => w,
        };
        let ww: usize = w.iter().map(|(t, _)| width(t)).sum();
        // A word in a script written without spaces (CJK: it breaks
        // between any two characters) that fits no line whole starts where
        // it is, rather than leaving the words before it alone on their
        // line; any other word moves to the next line first.
        let breaks_anywhere = || w.iter().any(|(t, _)| t.chars().any(|c| char_width(c) > 1));
        if used > 0 && used + 1 + ww > avail(&lines) && (ww <= rest || !breaks_anywhere()) {
            lines.push(vec![]);
            used = 0;
        }
        if ww <= avail(&lines) {
            used += usize::from(used > 0) + ww;
            if let Some(l) = lines.last_mut() {
                l.push(w);
            }
            continue;
        }
        // A word wider than a line: fill lines with line-sized chunks.
        let mut chunk: Word<S> = vec![];
        let mut cw = 0usize;
        for (t, st) in w {
            for ch in t.chars() {
                let chw = char_width(ch);
                let room = avail(&lines).saturating_sub(used + usize::from(used > 0));
                if cw + chw > room && (cw > 0 || used > 0) {
                    if cw > 0
                        && let Some(l) = lines.last_mut()
                    {
                        l.push(std::mem::take(&mut chunk));
                    }
                    lines.push(vec![]);
                    used = 0;
                    cw = 0;
                }
                push_piece(&mut chunk, ch.encode_utf8(&mut [0u8; 4]), st);
                cw += chw;
            }
        }
        if !chunk.is_empty()
            && let Some(l) = lines.last_mut()
        {
            used += usize::from(!l.is_empty()) + cw;
            l.push(chunk);
        }
    }
    lines
        .into_iter()
        .map(|words| {
            let mut runs: Vec<(String, S)> = vec![];
            for (j, w) in words.into_iter().enumerate() {
                for (k, (t, st)) in w.into_iter().enumerate() {
                    let text = t.replace(GLUE, " ");
                    if j > 0 && k == 0 {
                        // The space between words: in the run before it
                        // when that is plain or of the word's style.
                        match runs.last_mut() {
                            Some((s, rst)) if *rst == st || *rst == S::default() => s.push(' '),
                            _ => runs.push((" ".to_string(), S::default())),
                        }
                    }
                    match runs.last_mut() {
                        Some((s, rst)) if *rst == st => s.push_str(&text),
                        _ => runs.push((text, st)),
                    }
                }
            }
            runs
        })
        .collect()
}

/// Word-wrap plain text to `width` columns (`\n` breaks; long words are cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_styled(&[(text, ())], width, width)
        .into_iter()
        .map(|runs| runs.into_iter().map(|(t, ())| t).collect())
        .collect()
}

/// Break `text` into lines of at most `width` columns wherever the width
/// runs out, keeping every character and space (raw text: a diff line, as
/// a pager wraps it). Always at least one (maybe empty) line.
pub fn hard_wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let cw = char_width(c);
        if used + cw > width && used > 0 {
            lines.push(String::new());
            used = 0;
        }
        if let Some(l) = lines.last_mut() {
            l.push(c);
        }
        used += cw;
    }
    lines
}

/// Cut `s` to `w` columns, ending in `…` when it was cut.
pub fn fit(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if n + cw + 1 > w {
            break;
        }
        out.push(c);
        n += cw;
    }
    if w > 0 {
        out.push('…');
    }
    out
}

/// The narrowest a name cut to keep what follows it whole may get.
const MIN_NAME: usize = 8;

/// The most a name gives way for: short facts after it (a status and a
/// marker or two, a quarter). Longer ones (a layer's estimate, dates and
/// slack) are cut at their end instead, so that names stay in a column.
const MAX_FACTS: usize = 32;

/// A name's column (the first run padded with two spaces or more: a title
/// before a status or quarter) too long for what follows it to fit at all:
/// the name is cut with `…` (to [`MIN_NAME`] columns at least) so that
/// the facts after it stay whole (up to [`MAX_FACTS`] columns of them).
fn shrink_name(runs: &mut [(String, super::Role)], w: usize) {
    let Some(k) = runs[..runs.len().saturating_sub(1)]
        .iter()
        .position(|(t, _)| t.ends_with("  ") && !t.trim_end_matches(' ').is_empty())
    else {
        return;
    };
    let head: usize = runs[..k].iter().map(|(t, _)| width(t)).sum();
    let tail: usize = runs[k + 1..].iter().map(|(t, _)| width(t)).sum();
    let name = runs[k].0.trim_end_matches(' ');
    if head + width(name) + 2 + tail <= w || tail == 0 || tail > MAX_FACTS {
        return;
    }
    let room = w.saturating_sub(head + tail + 2);
    if room >= MIN_NAME {
        runs[k].0 = format!("{}  ", fit(name, room));
    }
}

/// Styled runs cut (the last with an ellipsis) and padded to exactly `w`
/// columns: one line that never runs past its edge unmarked. When the cut
/// would leave nothing of the last run and the run before it is padded to
/// a column (a date after a title), that padding gives way first, down to
/// two spaces.
pub fn fit_runs(mut runs: Vec<(String, super::Role)>, w: usize) -> Vec<(String, super::Role)> {
    shrink_name(&mut runs, w);
    let n = runs.len();
    if n > 1 && !runs[n - 1].0.is_empty() {
        let before_last: usize = runs[..n - 1].iter().map(|(t, _)| width(t)).sum();
        let excess = (before_last + width(&runs[n - 1].0)).saturating_sub(w);
        let padded = &mut runs[n - 2].0;
        let text = padded.trim_end_matches(' ').len();
        let spaces = padded.len() - text;
        if before_last + 1 >= w && text > 0 && spaces > 2 {
            padded.truncate(padded.len() - (spaces - 2).min(excess));
        }
    }
    let mut out = cut_runs(runs, w);
    let used: usize = out.iter().map(|(t, _)| width(t)).sum();
    if used < w {
        out.push((" ".repeat(w - used), super::Role::Plain));
    }
    out
}

/// Runs of text (each with its style) in `w` columns: as they are when they
/// fit, else cut where they reach the edge, the cut marked with `…` (also
/// when it falls between two runs).
pub fn cut_runs<S>(runs: Vec<(String, S)>, w: usize) -> Vec<(String, S)> {
    if runs.iter().map(|(t, _)| width(t)).sum::<usize>() <= w {
        return runs;
    }
    let mut out = vec![];
    let mut used = 0;
    for (t, s) in runs {
        let tw = width(&t);
        if used + tw < w {
            used += tw;
            out.push((t, s));
        } else {
            // (The `…` added makes it too long, so `fit` cuts it.)
            out.push((fit(&format!("{t}…"), w - used), s));
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hard_wrap_keeps_every_character_and_space() {
        assert_eq!(hard_wrap("+a  b   c", 4), vec!["+a  ", "b   ", "c"]);
        assert_eq!(hard_wrap("", 10), vec![""]);
        // Wide characters never straddle the edge.
        assert_eq!(hard_wrap("ab日本", 3), vec!["ab", "日", "本"]);
        assert_eq!(hard_wrap("ab日本", 3).concat(), "ab日本");
    }

    use super::*;

    #[test]
    fn a_cut_between_two_runs_is_marked_too() {
        let runs = vec![
            ("in-progress".to_string(), 1),
            (" · ▲ at-risk".to_string(), 2),
        ];
        // 11 columns hold the first run exactly: the cut after it shows.
        assert_eq!(
            cut_runs(runs.clone(), 11),
            vec![("in-progres…".to_string(), 1)]
        );
        assert_eq!(cut_runs(runs.clone(), 40), runs);
    }

    #[test]
    fn padding_gives_way_when_the_last_run_would_be_lost() {
        use super::super::Role;
        let runs = vec![
            ("  ".to_string(), Role::Plain),
            (format!("{:<30}", "Built-in sensing"), Role::Title),
            ("2027-Q3".to_string(), Role::Plain),
        ];
        let text = |r: Vec<(String, Role)>| r.into_iter().map(|(t, _)| t).collect::<String>();
        // 32 columns hold the padded title only: the quarter moves in.
        assert_eq!(
            text(fit_runs(runs.clone(), 27)),
            "  Built-in sensing  2027-Q3"
        );
        // Narrower: the name gives way, the quarter stays whole.
        assert_eq!(text(fit_runs(runs.clone(), 24)), "  Built-in sen…  2027-Q3");
        // Not below a readable name: then the end is cut.
        assert_eq!(text(fit_runs(runs.clone(), 16)), "  Built-in sens…");
        // Part of the last run fits: columns stay aligned, the end is cut.
        assert_eq!(
            text(fit_runs(runs.clone(), 36)),
            format!("  {:<30}202…", "Built-in sensing")
        );
        // A name longer than its column: cut so that the facts after it
        // (a status and a marker) stay whole.
        let long = vec![
            ("○ ".to_string(), Role::Plain),
            (
                format!("{}  ", "A public feature whose title is extremely long"),
                Role::Plain,
            ),
            ("planned".to_string(), Role::Plain),
            (" · ".to_string(), Role::Plain),
            ("internal".to_string(), Role::Dim),
        ];
        assert_eq!(
            text(fit_runs(long, 40)),
            "○ A public feature …  planned · internal"
        );
        // Wide enough: as given, padded to the width.
        assert_eq!(width(&text(fit_runs(runs, 50))), 50);
    }

    #[test]
    fn a_word_wider_than_any_line_starts_on_the_current_line() {
        // "feature" is not left alone above a title without spaces.
        let lines = wrap("feature 日本語の機能タイトルはとても長いです", 20);
        assert!(lines[0].starts_with("feature 日本"), "{lines:?}");
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "feature日本語の機能タイトルはとても長いです"
        );
        // A word that fits a line whole still moves to the next one.
        assert_eq!(wrap("aaaa bbbbbb", 8), vec!["aaaa", "bbbbbb"]);
    }

    #[test]
    fn wraps_words_and_cuts_long_ones() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), [""]);
        assert_eq!(wrap("a\n\nb", 9), ["a", "", "b"]);
        assert_eq!(wrap("aa  bb ", 9), ["aa bb"]);
        assert_eq!(wrap("ab cdefgh", 4), ["ab", "cdef", "gh"]);
        // Wide characters count two columns.
        assert_eq!(wrap("日本語 日本", 6), ["日本語", "日本"]);
    }

    #[test]
    fn glue_keeps_a_phrase_together() {
        let g = glued("confidence medium");
        assert_eq!(width(&g), 17);
        assert_eq!(
            wrap(&format!("aaaa {g}"), 20),
            ["aaaa", "confidence medium"]
        );
    }

    #[test]
    fn styled_runs_merge_and_spaces_are_plain() {
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        enum S {
            #[default]
            P,
            R,
        }
        let l = wrap_styled(&[("hi there", S::R), (" plain", S::P)], 80, 80);
        assert_eq!(
            l,
            [vec![
                ("hi there".to_string(), S::R),
                (" plain".to_string(), S::P)
            ]]
        );
        let l = wrap_styled(&[("a", S::R), ("b c", S::P), ("d", S::R)], 80, 80);
        assert_eq!(
            l,
            [vec![
                ("a".to_string(), S::R),
                ("b c".to_string(), S::P),
                ("d".to_string(), S::R)
            ]]
        );
        // The first line and the rest have their own widths.
        let l = wrap_styled(&[("aa bb cc dd", S::P)], 5, 2);
        let texts: Vec<&str> = l.iter().map(|r| r[0].0.as_str()).collect();
        assert_eq!(texts, ["aa bb", "cc", "dd"]);
    }

    #[test]
    fn every_line_fits() {
        let text = format!("{} {}", "word ".repeat(40), "x".repeat(200));
        for w in [1, 2, 7, 20, 80] {
            for l in wrap(&text, w) {
                assert!(width(&l) <= w, "{w}: {l:?}");
            }
        }
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語", 4), "日…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "…");
    }
}
