//! Printing a [`TimelineView`]: the text chart (the TUI's, from
//! [`crate::vocab::chart`]), a Mermaid `gantt` block, JSON, and one
//! standalone SVG picture.
//!
//! The printers read only the view, so each format shows exactly what the
//! lens's timeline shows (the sales timeline only what the sales view
//! holds). Roadmap strings are sanitized ([`sanitize_line`]) in every format;
//! Mermaid text is also stripped of the characters its grammar gives a
//! meaning to; SVG is written with an XML writer (`quick-xml`), which
//! escapes every text and attribute.

use crate::cli::diffprint::md_escape;
use crate::diff::ChangeKind;
use crate::lens::timeline::{Against, Place, ShiftKind, TimelineRow, TimelineView};
use crate::model::{Commitment, Horizon, Status};
use crate::text::sanitize_line;
use crate::vocab::chart::{self, ChartOpts, Runs, Scale};
use crate::vocab::{self, Role, paint};
use jiff::ToSpan;
use jiff::civil::Date;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::fmt::Write as _;

/// The heading line: `Smart Pump — timeline · exec · by release`.
fn heading(v: &TimelineView) -> String {
    format!(
        "{} — timeline · {} · by {}",
        sanitize_line(&v.title),
        sanitize_line(&v.lens),
        v.by.as_str()
    )
}

/// `today 2027-05-10 · baseline v2027.1 · 2027-01-15`.
fn subheading(v: &TimelineView) -> String {
    let mut s = format!("today {}", sanitize_line(&v.today_text));
    if let Some(b) = &v.baseline {
        let _ = write!(s, " · baseline {}", sanitize_line(&b.to_string()));
    }
    s
}

fn painted(runs: &Runs, color: bool) -> String {
    runs.iter().map(|(t, r)| paint(*r, t, color)).collect()
}

/// The text chart, `width` columns wide (the TUI's chart, every line cut
/// to the width), then what moved since the baseline, one line each.
pub fn text(v: &TimelineView, width: usize, scale: Option<Scale>, opts: TextRange) -> String {
    let width = width.max(40);
    let scale = scale.unwrap_or_else(|| chart::fit_scale_in(v, width, opts.from, opts.to));
    let c = chart::layout(
        v,
        &ChartOpts {
            width,
            scale,
            scroll: 0,
            from: opts.from,
            to: opts.to,
            window: None,
        },
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(Role::Title, &vocab::fit(&heading(v), width), opts.color)
    );
    let _ = writeln!(
        out,
        "{}",
        paint(Role::Dim, &vocab::fit(&subheading(v), width), opts.color)
    );
    for l in c.header.iter().chain(c.lines.iter().map(|l| &l.runs)) {
        let _ = writeln!(out, "{}", painted(l, opts.color).trim_end());
    }
    out.push('\n');
    for l in chart::legend_lines(&c.legend, width) {
        let _ = writeln!(out, "{}", painted(&l, opts.color));
    }
    if v.baseline.is_some() {
        let moved: Vec<&TimelineRow> = v
            .rows()
            .filter(|r| r.shift.as_ref().is_some_and(|s| s.kind != ShiftKind::Same))
            .collect();
        if !moved.is_empty() {
            out.push('\n');
            let _ = writeln!(
                out,
                "{}",
                paint(Role::Heading, "Since the baseline", opts.color)
            );
            for r in moved {
                let Some(s) = &r.shift else { continue };
                let kind = match s.kind {
                    ShiftKind::Slipped => crate::diff::ChangeKind::Slipped,
                    ShiftKind::PulledIn => crate::diff::ChangeKind::PulledIn,
                    _ => crate::diff::ChangeKind::Changed,
                };
                let line = format!(
                    "  {} {}: {}",
                    vocab::change_marker(kind),
                    sanitize_line(&r.label),
                    sanitize_line(&s.summary())
                );
                let _ = writeln!(
                    out,
                    "{}",
                    paint(Role::Change(kind), &vocab::fit(&line, width), opts.color)
                );
            }
        }
    }
    out
}

/// The part of time and the colour of the text chart.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub color: bool,
}

// ----------------------------------------------------------------- mermaid

/// Text safe inside a Mermaid gantt line and a Markdown code fence: the
/// sanitizer's, then without the characters Mermaid's grammar reads
/// (`:` `;` `#` and the ones that would close the fence or make markup).
fn mermaid_text(s: &str) -> String {
    sanitize_line(s)
        .chars()
        .map(|c| match c {
            ':' => '꞉',
            ';' => ',',
            '#' => '♯',
            '`' => 'ʼ',
            '<' => '‹',
            '>' => '›',
            '&' => '+',
            '"' => '”',
            '%' => '٪',
            '{' => '(',
            '}' => ')',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A task's text: [`mermaid_text`], and when it begins with what Mermaid's
/// gantt lexer reads before a task's text (`Call …`, `Section …`,
/// `Title …`, `Excludes …`, a date: its keywords, in any case), a zero-width
/// space before it, so that it stays the task's text (drawn as written)
/// rather than becoming a section, a setting or a syntax error.
fn mermaid_task(s: &str) -> String {
    const KEYWORDS: [&str; 18] = [
        "accdescr",
        "acctitle",
        "axisformat",
        "call",
        "click",
        "dateformat",
        "excludes",
        "gantt",
        "href",
        "inclusiveenddates",
        "includes",
        "section",
        "tickinterval",
        "title",
        "todaymarker",
        "topaxis",
        "weekday",
        "weekend",
    ];
    let t = mermaid_text(s);
    let lower = t.to_lowercase();
    let keyword = KEYWORDS.iter().any(|k| lower.starts_with(k));
    if keyword || t.starts_with(|c: char| c.is_ascii_digit()) {
        format!("\u{200B}{t}")
    } else {
        t
    }
}

fn mermaid_id(n: usize) -> String {
    format!("t{n}")
}

/// The tags of a task: `done` (shipped, available now), `active` (in
/// progress), `crit` (at risk, off track, blocked).
fn mermaid_tags(r: &TimelineRow) -> Vec<&'static str> {
    let mut tags = vec![];
    match (r.status, r.place) {
        (Some(Status::Shipped), _) | (_, Place::AvailableNow) => tags.push("done"),
        (Some(Status::InProgress), _) => tags.push("active"),
        _ => {}
    }
    if r.health.is_some_and(|h| h.is_troubled()) {
        tags.push("crit");
    }
    tags
}

/// A Mermaid `gantt` block: a section per release, layer or commitment;
/// `done` / `active` / `crit` tags, release targets as milestones, today
/// as a milestone of its own. Rows with no date (exploring, no target) and
/// horizon targets are listed under the block, and so is what moved since
/// the baseline. The sales timeline's dates are Unix times in milliseconds
/// (`dateFormat x`: Mermaid 11 reads a start in `X` as milliseconds too) of
/// quarter boundaries: its periods are quarters at the finest.
pub fn markdown(v: &TimelineView) -> String {
    let sales = v.lens == "sales";
    // The sales timeline's bars are quarters: written as Unix times (ms), so no
    // date finer than a quarter is spelled out.
    let fmt = |d: Date| {
        if sales {
            d.to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_millisecond().to_string())
                .unwrap_or_default()
        } else {
            d.to_string()
        }
    };
    let mut out = String::new();
    // Above the block the text is plain Markdown (escaped as the other
    // printers escape it); Mermaid's look-alikes are for inside it only.
    let _ = writeln!(out, "## {}\n", md_escape(&heading(v)));
    let _ = writeln!(out, "{}\n", md_escape(&subheading(v)));
    out.push_str("```mermaid\ngantt\n");
    let _ = writeln!(out, "    title {}", mermaid_text(&v.title));
    let _ = writeln!(
        out,
        "    dateFormat {}",
        if sales { "x" } else { "YYYY-MM-DD" }
    );
    let _ = writeln!(
        out,
        "    axisFormat {}",
        if sales { "%Y-Q%q" } else { "%Y-%m" }
    );
    // An axis by quarter ticks once a quarter (Mermaid's own ticks may be
    // monthly: `2027-Q2 2027-Q2 2027-Q2`).
    if sales {
        out.push_str(
            "    tickInterval 3month
",
        );
    }
    out.push_str("    todayMarker off\n");
    let mut n = 0usize;
    let mut undated: Vec<(String, String)> = vec![];
    let today_q = {
        let t = v.today;
        let m0 = (t.month() - 1) / 3 * 3 + 1;
        let start = Date::new(t.year(), m0, 1).unwrap_or(t);
        (start, start.checked_add(3.months()).unwrap_or(t))
    };
    for g in &v.groups {
        let mut section = Some(format!("    section {}\n", mermaid_text(&g.title)));
        for r in &g.rows {
            n += 1;
            let name = mermaid_task(&r.label);
            let name = if name.is_empty() {
                "(untitled)".into()
            } else {
                name
            };
            let tags = mermaid_tags(r);
            let interval = match r.place {
                Place::Bar { .. } => r.place.interval(v.today),
                Place::AvailableNow => Some(today_q),
                Place::Horizon { horizon } => {
                    undated.push((r.label.clone(), horizon_name(horizon).to_string()));
                    None
                }
                Place::Unscheduled => {
                    let why = if r.commitment == Some(Commitment::Exploring) {
                        "exploring"
                    } else {
                        "no date"
                    };
                    undated.push((r.label.clone(), why.to_string()));
                    None
                }
            };
            let Some((s, e)) = interval else { continue };
            // A section only when it has a task (Mermaid wants one).
            if let Some(head) = section.take() {
                out.push_str(&head);
            }
            let mut t = tags.clone();
            let id = mermaid_id(n);
            let label = if r.place == Place::AvailableNow {
                format!("{name} ({})", crate::lens::AVAILABLE_NOW)
            } else {
                name.clone()
            };
            let head = if t.is_empty() {
                id.clone()
            } else {
                format!("{}, {id}", t.join(", "))
            };
            let _ = writeln!(out, "    {label} :{head}, {}, {}", fmt(s), fmt(e));
            if r.milestone && !sales {
                t.retain(|x| *x == "crit");
                t.insert(0, "milestone");
                let last = e.yesterday().unwrap_or(e);
                let _ = writeln!(
                    out,
                    "    {name} target :{}, {id}m, {}, 0d",
                    t.join(", "),
                    fmt(last)
                );
            }
        }
    }
    out.push_str("    section Today\n");
    let _ = writeln!(out, "    Today :milestone, today, {}, 0d", fmt(v.today));
    out.push_str("```\n");
    if !undated.is_empty() {
        out.push_str("\nNot on the dated chart:\n\n");
        for (name, why) in undated {
            let name = if name.trim().is_empty() {
                "(untitled)".into()
            } else {
                md_escape(&name)
            };
            let _ = writeln!(out, "- {name} — {why}");
        }
    }
    if let Some(b) = &v.baseline {
        let _ = writeln!(
            out,
            "\nAgainst the baseline ({}):\n",
            md_escape(&b.to_string())
        );
        let mut any = false;
        for r in v.rows() {
            // Plain markdown outside the Mermaid block: escaped for markdown.
            let what = match v.against(r) {
                Some(Against::Shift(s)) if s.kind != ShiftKind::Same => s.summary(),
                Some(Against::Shift(_) | Against::Unchanged) | None => continue,
                Some(a) => vocab::against_words(a, r),
            };
            any = true;
            let _ = writeln!(out, "- {} — {}", md_escape(&r.label), md_escape(&what));
        }
        if !any {
            out.push_str("- nothing moved\n");
        }
    }
    out
}

fn horizon_name(h: Horizon) -> &'static str {
    match h {
        Horizon::Now => "Now",
        Horizon::Next => "Next",
        Horizon::Later => "Later",
    }
}

// --------------------------------------------------------------------- svg

const ROW: f64 = 22.0;
const ROW_BASELINE: f64 = 30.0;
/// A label character's width at the labels' 12 px (a generous average for
/// sans-serif text, so that a fitted label stays inside its column).
const LABEL_CHAR_W: f64 = 6.6;
/// A character's width in the 16 px bold heading.
const TITLE_CHAR_W: f64 = 9.6;
/// A character's width in the 11 px text (axis, notes, tags, legend).
const SMALL_CHAR_W: f64 = 6.2;
/// Room at the label column's right for the risk mark (▲).
const RISK_W: f64 = 14.0;
const TOP: f64 = 64.0;
/// The dated part's least width (a narrow picture's labels and tags give
/// way to it).
const MIN_CHART_W: f64 = 120.0;
const HORIZON_W: f64 = 72.0;

/// The fill colour of a bar, by status or commitment.
/// Each bar colour and what it says: a status, or in the sales lens (rows
/// without one) a commitment. The bars and the legend both read it.
const BAR_KEY: [(&str, &str); 7] = [
    ("#16a34a", "shipped"),
    ("#0891b2", "in progress"),
    ("#64748b", "planned"),
    ("#d1d5db", "deferred / cancelled"),
    ("#16a34a", "committed"),
    ("#0891b2", "planned"),
    ("#94a3b8", "no status"),
];

/// A row's entry in [`BAR_KEY`].
fn bar_key(r: &TimelineRow) -> usize {
    match (r.status, r.commitment) {
        (Some(Status::Shipped), _) => 0,
        (Some(Status::InProgress), _) => 1,
        (Some(Status::Planned), _) => 2,
        (Some(Status::Deferred | Status::Cancelled), _) => 3,
        (None, Some(Commitment::Committed)) => 4,
        (None, Some(Commitment::Planned)) => 5,
        _ => 6,
    }
}

fn fill(r: &TimelineRow) -> &'static str {
    BAR_KEY[bar_key(r)].0
}

fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

type Xml = Writer<Vec<u8>>;
type XmlResult = std::io::Result<()>;

/// The width of `s` in the 11 px text.
fn small_w(s: &str) -> f64 {
    vocab::width(s) as f64 * SMALL_CHAR_W
}

fn text_el(w: &mut Xml, x: f64, y: f64, class: &str, s: &str) -> XmlResult {
    w.create_element("text")
        .with_attributes([
            ("x", num(x).as_str()),
            ("y", num(y).as_str()),
            ("class", class),
        ])
        .write_text_content(BytesText::new(&sanitize_line(s)))?;
    Ok(())
}

/// A vertical line at `x` from `y1` to `y2` (the grid, today).
fn vline(w: &mut Xml, x: f64, y1: f64, y2: f64, class: &str) -> XmlResult {
    let (xs, a, b) = (num(x), num(y1), num(y2));
    w.create_element("line")
        .with_attributes([
            ("x1", xs.as_str()),
            ("y1", a.as_str()),
            ("x2", xs.as_str()),
            ("y2", b.as_str()),
            ("class", class),
        ])
        .write_empty()?;
    Ok(())
}

fn rect(w: &mut Xml, x: f64, y: f64, wd: f64, h: f64, attrs: &[(&str, &str)]) -> XmlResult {
    let (xs, ys, ws, hs) = (num(x), num(y), num(wd.max(1.0)), num(h));
    w.create_element("rect")
        .with_attributes([
            ("x", xs.as_str()),
            ("y", ys.as_str()),
            ("width", ws.as_str()),
            ("height", hs.as_str()),
        ])
        .with_attributes(attrs.iter().copied())
        .write_empty()?;
    Ok(())
}

fn diamond(w: &mut Xml, x: f64, y: f64, r: f64, attrs: &[(&str, &str)]) -> XmlResult {
    let d = format!(
        "M {} {} L {} {} L {} {} L {} {} Z",
        num(x),
        num(y - r),
        num(x + r),
        num(y),
        num(x),
        num(y + r),
        num(x - r),
        num(y)
    );
    w.create_element("path")
        .with_attribute(("d", d.as_str()))
        .with_attributes(attrs.iter().copied())
        .write_empty()?;
    Ok(())
}

/// How an SVG picture is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SvgOpts {
    /// Width in pixels (at least 480).
    pub width: u32,
    /// Only this part of time.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Default for SvgOpts {
    fn default() -> SvgOpts {
        SvgOpts {
            width: 1200,
            from: None,
            to: None,
        }
    }
}

/// The SVG picture as an `<svg>` element (no XML declaration): for a page
/// that embeds it.
pub fn svg_element(v: &TimelineView, opts: &SvgOpts) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    let _ = write_svg(&mut w, v, opts);
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

/// One standalone SVG document: bars, baseline ghosts, milestones, today,
/// labels; no script, no external resource.
pub fn svg(v: &TimelineView, opts: &SvgOpts) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let _ = write_svg(&mut w, v, opts);
    let mut s = String::from_utf8(w.into_inner()).unwrap_or_default();
    s.push('\n');
    s
}

/// The picture's styles, each scoped to its root (`svg.rl-timeline`): the
/// SVG sits inline in the HTML report, whose own classes (`title`, `group`,
/// `note`) these rules must never reach.
const STYLE: &str = ".rl-timeline text{font-family:sans-serif;font-size:12px;fill:#1f2937}\
.rl-timeline .title{font-size:16px;font-weight:bold}.rl-timeline .sub{fill:#6b7280}\
.rl-timeline .group{font-weight:bold;fill:#0e7490}\
.rl-timeline .axis{fill:#6b7280;font-size:11px}.rl-timeline .grid{stroke:#e5e7eb;stroke-width:1}\
.rl-timeline .today{stroke:#dc2626;stroke-width:1.5;stroke-dasharray:4 3}\
.rl-timeline .todaylabel{fill:#dc2626;font-size:11px}\
.rl-timeline .ghost{fill:#e5e7eb;stroke:#6b7280;stroke-width:1;stroke-dasharray:3 2}\
.rl-timeline .slip{fill:#b91c1c;font-size:11px}.rl-timeline .pull{fill:#15803d;font-size:11px}\
.rl-timeline .note{fill:#6b7280;font-size:11px}.rl-timeline .risk{fill:#b91c1c}";

/// The gap between what a row draws and its tag: clear of a target
/// diamond's point too.
const TAG_GAP: f64 = 12.0;

/// What a row without a bar says in its place: `available now` beside its
/// dot at today, `no date` at the chart's start; `at` is where it is
/// anchored (a fraction of the chart's width), `px` how far after it.
struct Note {
    at: f64,
    px: f64,
    text: &'static str,
}

fn row_note(v: &TimelineView, r: &TimelineRow, frac: impl Fn(Date) -> f64) -> Option<Note> {
    match r.place {
        Place::AvailableNow => Some(Note {
            at: frac(v.today),
            px: 9.0,
            text: crate::lens::AVAILABLE_NOW,
        }),
        Place::Unscheduled => Some(Note {
            at: 0.0,
            px: 4.0,
            text: if v.is_removed(r) {
                "not in this version"
            } else if r.commitment == Some(Commitment::Exploring) {
                "exploring, no date"
            } else {
                "no date"
            },
        }),
        Place::Bar { .. } | Place::Horizon { .. } => None,
    }
}

/// A row's tag against the baseline, as the text chart says it (`» +1
/// quarter`, `= same`; none for a row no longer there: its note says so).
struct Tag {
    /// Its class: the colour of the vocabulary's role.
    class: &'static str,
    text: String,
    /// Its width in the 11 px text.
    width: f64,
    /// What it must start after, each where it ends on the chart (a
    /// fraction of its width) and how many pixels past that: the end of
    /// the row's bar and ghost bar (and their diamonds), its note.
    after: Vec<(f64, f64)>,
}

fn row_tag(v: &TimelineView, r: &TimelineRow, frac: impl Fn(Date) -> f64) -> Option<Tag> {
    let (text, role) = match v.against(r)? {
        Against::NotInThisVersion => return None,
        a => vocab::against_tag(a, r),
    };
    // The class follows the vocabulary's role.
    let class = match role {
        Role::Change(ChangeKind::Slipped) => "slip",
        Role::Change(ChangeKind::PulledIn) => "pull",
        _ => "note",
    };
    let was = r.baseline.and_then(|b| b.place);
    let end = [
        r.place.interval(v.today),
        was.and_then(|p| p.interval(v.today)),
    ]
    .into_iter()
    .flatten()
    .map(|(_, e)| e)
    .max();
    let mut after: Vec<(f64, f64)> = end.map(|e| (frac(e), TAG_GAP)).into_iter().collect();
    if let Some(n) = row_note(v, r, &frac) {
        after.push((n.at, n.px + small_w(n.text) + TAG_GAP));
    }
    Some(Tag {
        class,
        width: small_w(&text),
        text,
        after,
    })
}

/// An entry of the SVG's legend.
enum Key {
    /// A bar colour and what it means.
    Bar(&'static str, &'static str),
    Target,
    Baseline,
    BaselineTarget,
}

fn write_svg(w: &mut Xml, v: &TimelineView, opts: &SvgOpts) -> XmlResult {
    let width = f64::from(opts.width.max(480));
    let rows: Vec<(Option<&str>, Option<&TimelineRow>)> = {
        let mut out = vec![];
        for g in &v.groups {
            if g.rows.first().is_none_or(|r| r.depth != 0) {
                out.push((Some(g.title.as_str()), None));
            }
            out.extend(g.rows.iter().map(|r| (None, Some(r))));
        }
        if !v.removed.is_empty() {
            out.push((Some("Not in this version"), None));
            out.extend(v.removed.iter().map(|r| (None, Some(r))));
        }
        out
    };
    let has_base = v.baseline.is_some();
    let row_h = if has_base { ROW_BASELINE } else { ROW };
    // The legend's entries (what each bar colour drawn means, then the
    // marks the picture draws), in lines that fit the width.
    let mut drawn = [false; BAR_KEY.len()];
    for r in v.rows().filter(|r| !v.is_removed(r)) {
        if matches!(r.place, Place::Bar { .. } | Place::Horizon { .. }) {
            drawn[bar_key(r)] = true;
        }
    }
    let targets = v.has_milestones();
    let mut entries: Vec<(Key, f64)> = BAR_KEY
        .iter()
        .zip(drawn)
        .filter(|(_, d)| *d)
        .map(|((color, word), _)| (Key::Bar(color, word), 36.0 + small_w(word)))
        .collect();
    if targets {
        entries.push((Key::Target, 70.0));
    }
    if has_base {
        entries.push((Key::Baseline, 84.0));
        if targets {
            entries.push((Key::BaselineTarget, 120.0));
        }
    }
    let mut legend: Vec<(f64, usize, Key)> = vec![];
    let (mut lx, mut line) = (12.0, 0usize);
    for (k, advance) in entries {
        if lx > 12.0 && lx + advance - 12.0 > width - 12.0 {
            (lx, line) = (12.0, line + 1);
        }
        legend.push((lx, line, k));
        lx += advance;
    }
    let legend_lines = legend.last().map_or(1, |(_, l, _)| l + 1);
    let height = TOP + rows.len() as f64 * row_h + 56.0 + (legend_lines - 1) as f64 * 18.0;
    // The label column fits the longest label (a status glyph and its
    // text, indented by depth, room for the risk mark), between 160 px and
    // 45% of the picture; longer labels end with an ellipsis.
    let row_label = |r: &TimelineRow| {
        let mut label = String::new();
        if let Some(s) = r.status {
            label.push_str(vocab::status_glyph(s));
            label.push(' ');
        }
        label.push_str(&sanitize_line(&r.label));
        label
    };
    let indent = |r: &TimelineRow| 8.0 + 14.0 * f64::from(r.depth);
    let longest = rows
        .iter()
        .filter_map(|(_, r)| *r)
        .map(|r| indent(r) + vocab::width(&row_label(r)) as f64 * LABEL_CHAR_W + RISK_W)
        .fold(0.0, f64::max);
    let horizons = v.horizons();
    // A narrow picture keeps room for the chart and its Now / Next / Later
    // columns: the labels give it up first (down to 100 px).
    let most = (width - 24.0 - horizons.len() as f64 * HORIZON_W - MIN_CHART_W).max(100.0);
    let label_w = longest.clamp(160.0, (width * 0.45).max(160.0)).min(most);
    let chart_x = label_w + 8.0;
    // The text chart's range: the dated rows', `--from` / `--to` as given.
    let (lo, hi) = chart::chart_range(v, opts.from, opts.to)
        .unwrap_or((v.today, v.today.tomorrow().unwrap_or(v.today)));
    let month = |d: Date| -> f64 {
        (d.year() as f64) * 12.0
            + (d.month() as f64 - 1.0)
            + (d.day() as f64 - 1.0) / d.days_in_month() as f64
    };
    // Whole periods: from the start of lo's quarter to the end of hi's.
    let m0 = (month(lo) / 3.0).floor() * 3.0;
    let m1 = (month(hi) / 3.0).ceil() * 3.0;
    let span = (m1 - m0).max(1.0);
    // Where a day falls across the chart, from 0 (its left edge) to 1.
    let raw = |d: Date| (month(d) - m0) / span;
    let frac = |d: Date| raw(d).clamp(0.0, 1.0);
    // A day on the chart (not beyond `--from` / `--to`): what is not is
    // left off, never pinned to the edge; a bar beyond an edge is cut there.
    let shown = |d: Date| (0.0..=1.0).contains(&raw(d));
    let bar_shown = |s: Date, e: Date| raw(e) > 0.0 && raw(s) < 1.0;
    // Each row's tag against the baseline, and where it may start: right
    // of everything the row draws on its line (its bar, target diamond and
    // ghost; its note), never over it.
    let tags: Vec<Option<Tag>> = rows
        .iter()
        .map(|(_, r)| r.and_then(|r| row_tag(v, r, frac)))
        .collect();
    // The room right of the chart that every such tag needs (0 when all
    // fit within it): the chart gives it up, so a tag after a bar that
    // reaches the chart's right edge is drawn beside it, not over it (at
    // most 40% of the width: the bars keep the most of it).
    let free = width - chart_x - 16.0 - horizons.len() as f64 * HORIZON_W;
    let tag_room = tags
        .iter()
        .flatten()
        .flat_map(|t| t.after.iter().map(move |(f, px)| (*f, px + t.width)))
        .map(|(f, need)| {
            if f > 0.0 {
                free + (need - free) / f
            } else {
                0.0
            }
        })
        .fold(0.0, f64::max)
        .min(free * 0.4);
    let chart_w = (free - tag_room).max(MIN_CHART_W.min(free));
    let tag_room = (free - chart_w).max(0.0);
    let x = |d: Date| chart_x + frac(d) * chart_w;
    let hx = |h: Horizon| {
        let i = horizons.iter().position(|x| *x == h).unwrap_or(0) as f64;
        chart_x + chart_w + tag_room + 8.0 + i * HORIZON_W
    };
    let (ws, hs) = (num(width), num(height));
    let vb = format!("0 0 {ws} {hs}");
    let title = heading(v);
    w.create_element("svg")
        .with_attributes([
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("class", "rl-timeline"),
            ("width", ws.as_str()),
            ("height", hs.as_str()),
            ("viewBox", vb.as_str()),
            ("role", "img"),
            ("aria-label", sanitize_line(&title).as_ref()),
        ])
        .write_inner_content(|w| {
            w.create_element("title")
                .write_text_content(BytesText::new(&sanitize_line(&title)))?;
            w.create_element("style")
                .write_text_content(BytesText::new(STYLE))?;
            rect(w, 0.0, 0.0, width, height, &[("fill", "#ffffff")])?;
            // The heading and subheading cut with `…` to the picture's
            // width (the `<title>` above keeps the whole heading).
            let fits = |char_w: f64| ((width - 24.0) / char_w).max(4.0) as usize;
            text_el(
                w,
                12.0,
                22.0,
                "title",
                &vocab::fit(&title, fits(TITLE_CHAR_W)),
            )?;
            text_el(
                w,
                12.0,
                40.0,
                "sub",
                &vocab::fit(&subheading(v), fits(LABEL_CHAR_W)),
            )?;
            // The axis: a tick per period (months, quarters, halves or
            // years, whichever leaves room for its label).
            let per_month = chart_w / span;
            let sales = v.lens == "sales";
            // A period wide enough for its label at 11px (`2027-01`,
            // `2027-Q1`: 7 characters, generously wide, and a gap).
            let fits = |months: f64, chars: f64| per_month * months >= chars * LABEL_CHAR_W + 8.0;
            let step = if fits(1.0, 7.0) && !sales {
                1.0
            } else if fits(3.0, 7.0) {
                3.0
            } else if fits(6.0, 7.0) {
                6.0
            } else {
                // Years, or as many as leave room for a label (a range of
                // centuries has a tick every few decades, not thousands).
                let years = (7.0 * LABEL_CHAR_W + 8.0) / (per_month * 12.0);
                12.0 * years.ceil().max(1.0)
            };
            let mut m = (m0 / step).floor() * step;
            let bottom = TOP + rows.len() as f64 * row_h;
            while m < m1 {
                let px = chart_x + (m - m0) / span * chart_w;
                let year = (m / 12.0).floor() as i64;
                let mo = (m - year as f64 * 12.0) as i64;
                let label = match step as i64 {
                    1 => format!("{year}-{:02}", mo + 1),
                    3 => format!("{year}-Q{}", mo / 3 + 1),
                    6 => format!("{year}-H{}", mo / 6 + 1),
                    _ => year.to_string(),
                };
                if px >= chart_x - 0.5 {
                    vline(w, px, TOP - 8.0, bottom, "grid")?;
                    text_el(w, px + 3.0, TOP - 10.0, "axis", &label)?;
                } else if px + step * per_month - chart_x >= small_w(&label) + 8.0 {
                    // The period the chart starts inside of, named at its
                    // left edge when there is room before the next tick.
                    text_el(w, chart_x + 3.0, TOP - 10.0, "axis", &label)?;
                }
                m += step;
            }
            for h in &horizons {
                text_el(w, hx(*h) + 4.0, TOP - 10.0, "axis", horizon_name(*h))?;
            }
            let mut placed: Vec<(f64, f64, &Tag)> = vec![];
            for (i, (head, row)) in rows.iter().enumerate() {
                let y = TOP + i as f64 * row_h;
                if let Some(t) = head {
                    text_el(w, 8.0, y + 15.0, "group", &vocab::fit(t, 48))?;
                    continue;
                }
                let Some(r) = row else { continue };
                let indent = indent(r);
                let chars = ((label_w - indent - RISK_W) / LABEL_CHAR_W).max(4.0) as usize;
                let label = row_label(r);
                text_el(
                    w,
                    indent,
                    y + 15.0,
                    if r.depth == 0 && !v.is_removed(r) {
                        "group"
                    } else {
                        ""
                    },
                    &vocab::fit(&label, chars),
                )?;
                if r.health.is_some_and(|h| h.is_troubled()) {
                    text_el(w, label_w - 6.0, y + 15.0, "risk", "▲")?;
                }
                let color = fill(r);
                let bar_y = y + 5.0;
                let bar_h = if has_base { 12.0 } else { 13.0 };
                match r.place {
                    Place::Bar { .. } => {
                        if let Some((s, e)) = r.place.interval(v.today) {
                            if bar_shown(s, e) {
                                rect(
                                    w,
                                    x(s),
                                    bar_y,
                                    x(e) - x(s),
                                    bar_h,
                                    &[("fill", color), ("rx", "2")],
                                )?;
                            }
                            let last = e.yesterday().unwrap_or(e);
                            if r.milestone && shown(last) {
                                diamond(
                                    w,
                                    x(last),
                                    bar_y + bar_h / 2.0,
                                    7.0,
                                    &[("fill", "#111827")],
                                )?;
                            }
                        }
                    }
                    Place::Horizon { horizon } => {
                        rect(
                            w,
                            hx(horizon),
                            bar_y,
                            HORIZON_W - 8.0,
                            bar_h,
                            &[("fill", color), ("rx", "2")],
                        )?;
                    }
                    Place::AvailableNow if shown(v.today) => {
                        w.create_element("circle")
                            .with_attributes([
                                ("cx", num(x(v.today)).as_str()),
                                ("cy", num(bar_y + bar_h / 2.0).as_str()),
                                ("r", "5"),
                                ("fill", "#16a34a"),
                            ])
                            .write_empty()?;
                    }
                    Place::AvailableNow | Place::Unscheduled => {}
                }
                if let Some(n) = row_note(v, r, frac) {
                    text_el(w, chart_x + n.at * chart_w + n.px, y + 15.0, "note", n.text)?;
                }
                if has_base {
                    let gy = bar_y + bar_h + 2.0;
                    match r.baseline.and_then(|b| b.place) {
                        Some(p @ Place::Bar { .. }) => {
                            if let Some((s, e)) = p.interval(v.today) {
                                if bar_shown(s, e) {
                                    rect(w, x(s), gy, x(e) - x(s), 6.0, &[("class", "ghost")])?;
                                }
                                let last = e.yesterday().unwrap_or(e);
                                if r.milestone && shown(last) {
                                    diamond(
                                        w,
                                        x(last),
                                        gy + 3.0,
                                        5.0,
                                        &[("fill", "#ffffff"), ("stroke", "#6b7280")],
                                    )?;
                                }
                            }
                        }
                        Some(Place::Horizon { horizon }) => {
                            rect(
                                w,
                                hx(horizon),
                                gy,
                                HORIZON_W - 8.0,
                                6.0,
                                &[("class", "ghost")],
                            )?;
                        }
                        _ => {}
                    }
                }
                // Its tag against the baseline, right of all it draws (the
                // room was kept); a row in a Now / Next / Later column only
                // has it just before that column, where the row is empty.
                if let Some(t) = &tags[i] {
                    let tx = match (t.after.is_empty(), r.place) {
                        (false, _) => t
                            .after
                            .iter()
                            .map(|(f, px)| chart_x + f * chart_w + px)
                            .fold(chart_x, f64::max),
                        (true, Place::Horizon { horizon }) => {
                            (hx(horizon) - 8.0 - t.width).max(chart_x + 4.0)
                        }
                        (true, _) => chart_x + 4.0,
                    };
                    placed.push((tx, y + 15.0, t));
                }
            }
            // Today, when it is on the chart.
            if shown(v.today) {
                let tx = x(v.today);
                vline(w, tx, TOP - 6.0, bottom, "today")?;
                text_el(w, tx + 3.0, bottom + 14.0, "todaylabel", "today")?;
            }
            // The tags last, each on the background's colour: readable
            // across the today line and the grid.
            for (tx, ty, t) in placed {
                rect(
                    w,
                    tx - 2.0,
                    ty - 10.0,
                    t.width + 4.0,
                    13.0,
                    &[("fill", "#ffffff")],
                )?;
                text_el(w, tx, ty, t.class, &t.text)?;
            }
            // Legend.
            for (lx, line, k) in &legend {
                let (lx, ly) = (*lx, height - 14.0 - (legend_lines - 1 - line) as f64 * 18.0);
                match k {
                    Key::Bar(color, word) => {
                        rect(w, lx, ly - 9.0, 18.0, 10.0, &[("fill", color), ("rx", "2")])?;
                        text_el(w, lx + 24.0, ly, "note", word)?;
                    }
                    Key::Target => {
                        diamond(w, lx + 6.0, ly - 4.0, 6.0, &[("fill", "#111827")])?;
                        text_el(w, lx + 16.0, ly, "note", "target")?;
                    }
                    Key::Baseline => {
                        rect(w, lx, ly - 7.0, 18.0, 6.0, &[("class", "ghost")])?;
                        text_el(w, lx + 24.0, ly, "note", "baseline")?;
                    }
                    Key::BaselineTarget => {
                        diamond(
                            w,
                            lx + 6.0,
                            ly - 4.0,
                            5.0,
                            &[("fill", "#ffffff"), ("stroke", "#6b7280")],
                        )?;
                        text_el(w, lx + 16.0, ly, "note", "baseline target")?;
                    }
                }
            }
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_text_cannot_break_out() {
        assert_eq!(mermaid_text("a: b; #c `x` <y>"), "a꞉ b, ♯c ʼxʼ ‹y›");
        assert_eq!(mermaid_text("x\u{1b}[31m\ny"), "x⏎y");
    }

    #[test]
    fn a_task_never_begins_with_what_mermaid_reads_first() {
        for title in [
            "Call recording",
            "click to call",
            "Section 508 accessibility",
            "Title screen redesign",
            "Excludes weekends from SLA",
            "Gantt export",
            "2027-01-01 launch checklist",
            "weekday monday sync",
        ] {
            let t = mermaid_task(title);
            assert_eq!(t, format!("\u{200B}{title}"), "{title}");
        }
        // Anything else as written.
        assert_eq!(mermaid_task("Remote pump control"), "Remote pump control");
    }
}
