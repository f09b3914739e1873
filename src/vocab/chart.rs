//! The one timeline chart in character cells, for the TUI and the text
//! printer: a frozen label column, a time axis by month / quarter / half /
//! year, bars with sub-cell ends (eighth blocks), milestones, a today line,
//! baseline ghost bars with their slip tags, and Now / Next / Later columns
//! for horizon targets. Every colour comes with a glyph:
//!
//! | glyph | means |
//! |---|---|
//! | `█▉▊▋▌▍▎▏`, `▐▕` | a bar now (its ends inside a cell as eighths) |
//! | `╌` | a bar of deferred or cancelled work |
//! | `░` | where the bar was in the baseline (the line under it) |
//! | `◆` / `◇` | a release target now / in the baseline |
//! | `┆`, `▼` | today |
//! | `●` | available now (sales) |
//! | `◂` `▸` | the bar goes on beyond the edge |
//!
//! Text given here comes from a [`TimelineView`]; roadmap strings are
//! sanitized here ([`sanitize_line`]).

use super::style::Role;
use crate::lens::timeline::{Place, TimelineRow, TimelineView};
use crate::model::{Horizon, Status};
use crate::text::sanitize_line;
use jiff::civil::Date;

/// The time unit of the axis (zoom).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scale {
    Month,
    Quarter,
    Half,
    Year,
}

impl Scale {
    pub const ALL: [Scale; 4] = [Scale::Month, Scale::Quarter, Scale::Half, Scale::Year];

    /// Months in one column of the axis.
    pub fn months(self) -> i64 {
        match self {
            Scale::Month => 1,
            Scale::Quarter => 3,
            Scale::Half => 6,
            Scale::Year => 12,
        }
    }

    /// Cells per period.
    pub fn cells(self) -> i64 {
        match self {
            Scale::Month => 4,
            _ => 6,
        }
    }

    fn cells_per_month(self) -> f64 {
        self.cells() as f64 / self.months() as f64
    }

    pub fn name(self) -> &'static str {
        match self {
            Scale::Month => "months",
            Scale::Quarter => "quarters",
            Scale::Half => "halves",
            Scale::Year => "years",
        }
    }

    /// One step finer (`+`), or the same at the finest.
    pub fn finer(self) -> Scale {
        match self {
            Scale::Year => Scale::Half,
            Scale::Half => Scale::Quarter,
            _ => Scale::Month,
        }
    }

    /// One step coarser (`-`), or the same at the coarsest.
    pub fn coarser(self) -> Scale {
        match self {
            Scale::Month => Scale::Quarter,
            Scale::Quarter => Scale::Half,
            _ => Scale::Year,
        }
    }

    /// The label of the period starting at month number `m` (`Q3`, `Aug`).
    fn label(self, m: i64) -> String {
        let month = m.rem_euclid(12);
        match self {
            Scale::Month => [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][month as usize]
                .to_string(),
            Scale::Quarter => format!("Q{}", month / 3 + 1),
            Scale::Half => format!("H{}", month / 6 + 1),
            Scale::Year => m.div_euclid(12).to_string(),
        }
    }
}

/// How to lay a chart out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartOpts {
    /// Total columns.
    pub width: usize,
    pub scale: Scale,
    /// Periods scrolled right from the first one of the range.
    pub scroll: i64,
    /// Only this part of time (`--from` / `--to`).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Lay out only these body lines (first, count); `None`: all.
    pub window: Option<(usize, usize)>,
}

/// Styled text: runs of one role.
pub type Runs = Vec<(String, Role)>;

/// One line of the chart body.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartLine {
    pub runs: Runs,
    /// The row it draws (an index into [`Chart::rows`]); group headings
    /// have none.
    pub row: Option<usize>,
    /// The baseline line under a row.
    pub ghost: bool,
}

/// A chart laid out for a width.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub label_width: usize,
    /// The axis: years, then periods (and today's `▼`). Frozen at the top.
    pub header: [Runs; 2],
    pub lines: Vec<ChartLine>,
    /// The scroll used (clamped) and the largest that shows something new.
    pub scroll: i64,
    pub max_scroll: i64,
    /// What each glyph means.
    pub legend: Runs,
    /// Every line's row (`None`: a group heading), also outside the window.
    pub line_rows: Vec<Option<usize>>,
    /// The first line laid out in `lines` (the window's start).
    pub first_line: usize,
}

/// Month number (years × 12 + month − 1) and the fraction of the month
/// gone at the start of `d`.
fn months(d: Date) -> f64 {
    let m = d.year() as i64 * 12 + d.month() as i64 - 1;
    let days = d.days_in_month() as f64;
    m as f64 + (d.day() as f64 - 1.0) / days
}

fn month_no(d: Date) -> i64 {
    d.year() as i64 * 12 + d.month() as i64 - 1
}

/// The finest scale at which the whole dated range fits `width` columns
/// (quarters when nothing is dated; years when nothing fits). The sales
/// timeline is never finer than quarters (its periods are quarters at the
/// finest).
pub fn fit_scale(view: &TimelineView, width: usize) -> Scale {
    fit_scale_in(view, width, None, None)
}

/// The finest scale at which the chart's range ([`chart_range`]: the
/// dated rows', or `from` / `to` where given) fits `width` columns.
pub fn fit_scale_in(
    view: &TimelineView,
    width: usize,
    from: Option<Date>,
    to: Option<Date>,
) -> Scale {
    let Some((lo, hi)) = chart_range(view, from, to) else {
        return Scale::Quarter;
    };
    let dw = dated_width(view, width);
    let finest = finest(view);
    for s in Scale::ALL.into_iter().filter(|s| *s >= finest) {
        let first = month_no(lo).div_euclid(s.months());
        let last = (month_no(hi.yesterday().unwrap_or(hi))).div_euclid(s.months());
        if ((last - first + 1) * s.cells()) as usize <= dw {
            return s;
        }
    }
    Scale::Year
}

/// The finest scale a view may be drawn at: quarters for the sales
/// timeline (its periods are quarters at the finest: a finer axis would
/// spell out months it does not say), months for the others.
pub fn finest(view: &TimelineView) -> Scale {
    if view.lens == "sales" {
        Scale::Quarter
    } else {
        Scale::Month
    }
}

/// The scale `view` is drawn at when `wanted` is asked (a zoom set on
/// another tab): never finer than [`finest`].
pub fn scale_for(view: &TimelineView, wanted: Scale) -> Scale {
    wanted.max(finest(view))
}

/// The periods of the axis at `opts`: the range's first and last period,
/// how many fit the width, and the scroll clamped to what shows something.
fn periods(view: &TimelineView, opts: &ChartOpts) -> (i64, i64, i64, i64) {
    let s = opts.scale;
    let dw = dated_width(view, opts.width.max(20));
    let (first, last) = match chart_range(view, opts.from, opts.to) {
        Some((lo, hi)) => (
            month_no(lo).div_euclid(s.months()),
            month_no(hi.yesterday().unwrap_or(hi)).div_euclid(s.months()),
        ),
        None => {
            let t = month_no(view.today).div_euclid(s.months());
            (t, t)
        }
    };
    let visible = (dw as i64 / s.cells()).max(1);
    let max_scroll = (last - first + 1 - visible).max(0);
    (first, last, visible, opts.scroll.clamp(0, max_scroll))
}

/// The scroll at `scale` (a zoom from `opts`) that keeps in view what
/// `opts` showed: today when it was on screen, else the month in the
/// middle, as near the middle as the range allows.
pub fn zoom_scroll(view: &TimelineView, opts: &ChartOpts, scale: Scale) -> i64 {
    let (first, _, visible, scroll) = periods(view, opts);
    let m = opts.scale.months();
    let (lo, hi) = ((first + scroll) * m, (first + scroll + visible) * m);
    let today = month_no(view.today);
    let anchor = if (lo..hi).contains(&today) {
        today
    } else {
        (lo + hi) / 2
    };
    let to = ChartOpts {
        scale,
        scroll: 0,
        ..*opts
    };
    let (first, last, visible, _) = periods(view, &to);
    let max_scroll = (last - first + 1 - visible).max(0);
    (anchor.div_euclid(scale.months()) - first - visible / 2).clamp(0, max_scroll)
}

/// The days the chart spans: the dated rows', with `from` / `to` as the
/// ends where given.
pub fn chart_range(
    view: &TimelineView,
    from: Option<Date>,
    to: Option<Date>,
) -> Option<(Date, Date)> {
    match (view.dated_range(), from, to) {
        (_, Some(f), Some(t)) if f < t => Some((f, t)),
        (Some((lo, hi)), f, t) => {
            let lo = f.unwrap_or(lo);
            let hi = t.unwrap_or(hi).max(lo.tomorrow().unwrap_or(lo));
            Some((lo, hi))
        }
        (None, Some(f), None) => Some((f, f.tomorrow().unwrap_or(f))),
        (None, None, Some(t)) => Some((t.yesterday().unwrap_or(t), t)),
        (r, _, _) => r,
    }
}

/// Width of the label column for a total width.
pub fn label_width(width: usize) -> usize {
    (width * 3 / 10).clamp(14, 40).min(width.saturating_sub(10))
}

const HORIZON_CELLS: usize = 6;

fn dated_width(view: &TimelineView, width: usize) -> usize {
    let hz = view.horizons().len() * (HORIZON_CELLS + 1);
    width.saturating_sub(label_width(width) + 1 + hz)
}

/// One line of cells (`None`: nothing drawn there).
struct Cells(Vec<Option<(char, Role)>>);

impl Cells {
    fn new(n: usize) -> Cells {
        Cells(vec![None; n])
    }
    fn set(&mut self, i: i64, c: char, r: Role) {
        if i >= 0
            && let Some(cell) = self.0.get_mut(i as usize)
        {
            *cell = Some((c, r));
        }
    }
    fn is_blank(&self, i: i64) -> bool {
        i >= 0 && self.0.get(i as usize).is_some_and(Option::is_none)
    }
    /// Text from `at`, but never over cells already drawn (it moves right
    /// past them; `false` when it does not fit).
    fn text(&mut self, at: i64, s: &str, r: Role) -> bool {
        let n = s.chars().count() as i64;
        let mut at = at.max(0);
        while at + n <= self.0.len() as i64 {
            if (at..at + n).all(|i| self.is_blank(i)) {
                for (k, c) in s.chars().enumerate() {
                    self.set(at + k as i64, c, r);
                }
                return true;
            }
            at += 1;
        }
        false
    }
    fn runs(&self) -> Runs {
        let mut out: Runs = vec![];
        for cell in &self.0 {
            let (c, r) = cell.unwrap_or((' ', Role::Plain));
            match out.last_mut() {
                Some((s, rr)) if *rr == r => s.push(c),
                _ => out.push((c.to_string(), r)),
            }
        }
        out
    }
}

const LEFT_EIGHTHS: [char; 7] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// The geometry of the dated part and the horizon columns.
struct Axis {
    /// Month number at column 0.
    origin: i64,
    scale: Scale,
    width: usize,
    horizons: Vec<Horizon>,
}

impl Axis {
    fn x(&self, d: Date) -> f64 {
        (months(d) - self.origin as f64) * self.scale.cells_per_month()
    }
    /// The first cell of a horizon column (relative to the dated part).
    fn horizon_at(&self, h: Horizon) -> Option<i64> {
        let i = self.horizons.iter().position(|x| *x == h)?;
        Some((self.width + 1 + i * (HORIZON_CELLS + 1)) as i64)
    }
    fn total(&self) -> usize {
        self.width + self.horizons.len() * (HORIZON_CELLS + 1)
    }
}

fn bar_role(row: &TimelineRow) -> Role {
    match (row.status, row.commitment) {
        (Some(s), _) => Role::Status(s),
        (None, Some(c)) => Role::Commitment(c),
        _ => Role::Plain,
    }
}

fn dashed(row: &TimelineRow) -> bool {
    matches!(row.status, Some(Status::Cancelled | Status::Deferred))
}

/// Draw a bar from `x0` to `x1` (cells) in `cells` of `width`.
fn draw_bar(cells: &mut Cells, x0: f64, x1: f64, width: usize, fill: char, role: Role) {
    let w = width as f64;
    if x1 <= 0.0 || x0 >= w {
        // Entirely off screen: an arrow at the edge it lies beyond.
        if x1 <= 0.0 {
            cells.set(0, '◂', role);
        } else {
            cells.set(width as i64 - 1, '▸', role);
        }
        return;
    }
    let (a, b) = (x0.max(0.0), x1.min(w));
    let first = a.floor() as i64;
    let last = (b.ceil() as i64 - 1).max(first);
    for i in first..=last {
        let (lo, hi) = (a.max(i as f64), b.min(i as f64 + 1.0));
        let cover = hi - lo;
        let c = if fill != '█' {
            if cover > 0.0 || first == last {
                fill
            } else {
                continue;
            }
        } else if cover >= 0.875 {
            '█'
        } else if lo - (i as f64) < 0.0625 {
            let n = ((hi - i as f64) * 8.0).round() as usize;
            LEFT_EIGHTHS[n.clamp(1, 7) - 1]
        } else if hi - (i as f64) > 0.9375 {
            if cover >= 0.5 { '▐' } else { '▕' }
        } else {
            '▌'
        };
        cells.set(i, c, role);
    }
    if x0 < 0.0 {
        cells.set(0, '◂', role);
    }
    if x1 > w {
        cells.set(width as i64 - 1, '▸', role);
    }
}

/// A ghost bar: cells at least half covered (one at the least).
fn draw_ghost(cells: &mut Cells, x0: f64, x1: f64, width: usize) {
    let w = width as f64;
    if x1 <= 0.0 || x0 >= w {
        let at = if x1 <= 0.0 { 0 } else { width as i64 - 1 };
        cells.set(at, if x1 <= 0.0 { '◂' } else { '▸' }, Role::Dim);
        return;
    }
    let (a, b) = (x0.max(0.0), x1.min(w));
    let mut any = false;
    for i in a.floor() as i64..b.ceil() as i64 {
        let cover = b.min(i as f64 + 1.0) - a.max(i as f64);
        if cover >= 0.5 {
            cells.set(i, '░', Role::Dim);
            any = true;
        }
    }
    if !any {
        cells.set(a.floor() as i64, '░', Role::Dim);
    }
    // Cut by an edge: said as a bar's cut is.
    if x0 < 0.0 {
        cells.set(0, '◂', Role::Dim);
    }
    if x1 > w {
        cells.set(width as i64 - 1, '▸', Role::Dim);
    }
}

/// Draw a place (now: bars; `ghost`: the baseline's) into the chart cells.
fn draw_place(
    cells: &mut Cells,
    axis: &Axis,
    row: &TimelineRow,
    place: &Place,
    ghost: bool,
    today: Date,
) {
    let role = bar_role(row);
    let fill = if ghost {
        '░'
    } else if dashed(row) {
        '╌'
    } else {
        '█'
    };
    let diamond = if ghost { '◇' } else { '◆' };
    match place {
        Place::Bar { .. } => {
            let Some((s, e)) = place.interval(today) else {
                return;
            };
            let (x0, x1) = (axis.x(s), axis.x(e));
            if ghost {
                draw_ghost(cells, x0, x1, axis.width);
            } else {
                draw_bar(cells, x0, x1, axis.width, fill, role);
            }
            if row.milestone {
                let last = e.yesterday().unwrap_or(e);
                let x = axis.x(last).floor() as i64;
                if x >= 0 && (x as usize) < axis.width {
                    cells.set(x, diamond, if ghost { Role::Dim } else { role });
                }
            }
        }
        Place::Horizon { horizon } => {
            if let Some(at) = axis.horizon_at(*horizon) {
                let r = if ghost { Role::Dim } else { role };
                for k in 0..HORIZON_CELLS as i64 {
                    cells.set(at + k, fill, r);
                }
                if row.milestone {
                    cells.set(at + HORIZON_CELLS as i64 - 1, diamond, r);
                }
            }
        }
        Place::AvailableNow if !ghost => {
            let x = axis.x(today).floor() as i64;
            let at = if x >= 0 && (x as usize) < axis.width {
                x
            } else {
                0
            };
            cells.set(at, '●', Role::Good);
            cells.text(
                at + 1,
                &format!(" {}", crate::lens::AVAILABLE_NOW),
                Role::Good,
            );
        }
        Place::AvailableNow => {
            let x = axis.x(today).floor() as i64;
            cells.set(x.clamp(0, axis.width as i64 - 1), '○', Role::Dim);
        }
        Place::Unscheduled if !ghost => {
            let what = if row.commitment == Some(crate::model::Commitment::Exploring) {
                "· exploring, no date"
            } else {
                "· no date"
            };
            cells.text(0, what, Role::Dim);
        }
        Place::Unscheduled => {}
    }
}

/// `◐ Vibration alerts ▲`, indented by depth, cut to `w` columns.
fn label(row: &TimelineRow, w: usize) -> Runs {
    let indent = " ".repeat(1 + 2 * row.depth as usize);
    let mut runs: Runs = vec![(indent, Role::Plain)];
    if let Some(s) = row.status {
        runs.push((format!("{} ", super::status_glyph(s)), Role::Status(s)));
    }
    let troubled = row.health.filter(|h| h.is_troubled());
    let title_role = if row.depth == 0 {
        Role::Title
    } else {
        Role::Plain
    };
    let used: usize = runs.iter().map(|(t, _)| super::width(t)).sum();
    let tail = if troubled.is_some() { 2 } else { 0 };
    let room = w.saturating_sub(used + tail + 1);
    runs.push((super::fit(&sanitize_line(&row.label), room), title_role));
    if let Some(h) = troubled {
        runs.push((" ▲".into(), Role::Health(h)));
    }
    runs
}

/// The label of a ghost line: how the row stands against the baseline.
fn ghost_label(view: &TimelineView, row: &TimelineRow, w: usize) -> Runs {
    let indent = " ".repeat(3 + 2 * row.depth as usize);
    let (text, role) = match view.against(row) {
        Some(a) => super::against_tag(a, row),
        None => ("baseline".into(), Role::Dim),
    };
    let room = w.saturating_sub(indent.len() + 1);
    vec![(indent, Role::Plain), (super::fit(&text, room), role)]
}

/// Lay `view` out as a chart (see the module docs).
pub fn layout<'v>(view: &'v TimelineView, opts: &ChartOpts) -> Chart {
    let width = opts.width.max(20);
    let lw = label_width(width);
    let horizons = view.horizons();
    let dw = dated_width(view, width);
    let today = view.today;
    let s = opts.scale;
    let (first, last, visible, scroll) = periods(view, opts);
    let max_scroll = (last - first + 1 - visible).max(0);
    // With an end given, the axis stops there.
    let dw = match opts.to {
        Some(_) => dw.min(((last - first + 1 - scroll).max(1) * s.cells()) as usize),
        None => dw,
    };
    let axis = Axis {
        origin: (first + scroll) * s.months(),
        scale: s,
        width: dw,
        horizons,
    };
    let total = axis.total();
    let today_x = axis.x(today).floor() as i64;
    let today_on = today_x >= 0 && (today_x as usize) < dw;

    // The axis: today's marker first, labels after it (moved right past it).
    let mut years = Cells::new(total);
    let mut periods = Cells::new(total);
    if today_on {
        years.set(today_x, '▼', Role::Warn);
    }
    for h in &axis.horizons {
        if let Some(at) = axis.horizon_at(*h) {
            years.set(at - 1, '│', Role::Dim);
            periods.set(at - 1, '│', Role::Dim);
            let name = match h {
                Horizon::Now => "Now",
                Horizon::Next => "Next",
                Horizon::Later => "Later",
            };
            periods.text(at, name, Role::Heading);
        }
    }
    let mut p = 0i64;
    while p * s.cells() < dw as i64 {
        let m = axis.origin + p * s.months();
        let at = p * s.cells();
        let l = s.label(m);
        if (at as usize) + super::width(&l) <= dw {
            periods.text(at, &l, Role::Dim);
        }
        if s != Scale::Year && (m.rem_euclid(12) == 0 || p == 0) {
            let y = m.div_euclid(12).to_string();
            // Where today's marker leaves room, within the part of its year
            // on the axis (the first year may be a quarter of it), with a
            // blank cell before the next year's label.
            let room = ((12 - m.rem_euclid(12)) / s.months()) * s.cells();
            let end = at + room;
            let n = y.len() as i64;
            let limit = if end < dw as i64 { end - 1 } else { dw as i64 };
            let free = |k: i64| (k..k + n).all(|i| years.is_blank(i));
            // (A cell apart from today's marker, when it moved past it.)
            if let Some(k) =
                (at..=limit - n).find(|&k| free(k) && (k == at || years.is_blank(k - 1)))
            {
                years.text(k, &y, Role::Heading);
            }
        }
        p += 1;
    }
    let head = |label: &str, role: Role, c: &Cells| -> Runs {
        let mut r = vec![(pad(label, lw), role), ("│".into(), Role::Dim)];
        r.extend(c.runs());
        r
    };
    let header = [
        head(" ", Role::Plain, &years),
        head(&format!(" {}", s.name()), Role::Dim, &periods),
    ];

    // The body: every line's spec first (cheap), cells only for the lines
    // in the window.
    enum Spec<'v> {
        Heading(&'v str),
        Empty,
        Row(&'v TimelineRow, usize, bool),
    }
    let has_baseline = view.baseline.is_some();
    let mut specs: Vec<Spec<'_>> = vec![];
    let mut rows = 0usize;
    let mut add_row = |r: &'v TimelineRow, specs: &mut Vec<Spec<'v>>| {
        let i = rows;
        rows += 1;
        specs.push(Spec::Row(r, i, false));
        if has_baseline {
            specs.push(Spec::Row(r, i, true));
        }
    };
    for g in &view.groups {
        if g.rows.first().is_none_or(|r| r.depth != 0) {
            specs.push(Spec::Heading(&g.title));
        }
        if g.rows.is_empty() {
            specs.push(Spec::Empty);
        }
        for r in &g.rows {
            add_row(r, &mut specs);
        }
    }
    if !view.removed.is_empty() {
        specs.push(Spec::Heading("Not in this version"));
        for r in &view.removed {
            add_row(r, &mut specs);
        }
    }
    let line_rows: Vec<Option<usize>> = specs
        .iter()
        .map(|s| match s {
            Spec::Row(_, i, _) => Some(*i),
            _ => None,
        })
        .collect();
    let (first_line, count) = opts.window.unwrap_or((0, specs.len()));
    let first_line = first_line.min(specs.len());
    let blank = |axis: &Axis| {
        let mut c = Cells::new(axis.total());
        for h in &axis.horizons {
            if let Some(at) = axis.horizon_at(*h) {
                c.set(at - 1, '│', Role::Dim);
            }
        }
        c
    };
    let with_today = |c: &mut Cells| {
        if today_on && c.is_blank(today_x) {
            c.set(today_x, '┆', Role::Warn);
        }
    };
    let mut lines = Vec::with_capacity(count.min(specs.len()));
    for spec in specs.iter().skip(first_line).take(count) {
        let mut c = blank(&axis);
        let (label_runs, row, ghost) = match spec {
            Spec::Heading(t) => (
                vec![(format!(" {}", sanitize_line(t)), Role::Heading)],
                None,
                false,
            ),
            Spec::Empty => {
                c.text(0, "· nothing here", Role::Dim);
                (vec![], None, false)
            }
            Spec::Row(r, i, false) => {
                // A row this version has not: nothing now (its ghost line
                // says "not in this version").
                if !view.is_removed(r) {
                    draw_place(&mut c, &axis, r, &r.place, false, today);
                }
                (label(r, lw), Some(*i), false)
            }
            Spec::Row(r, i, true) => {
                if let Some(p) = r.baseline.and_then(|b| b.place) {
                    draw_place(&mut c, &axis, r, &p, true, today);
                }
                (ghost_label(view, r, lw), Some(*i), true)
            }
        };
        with_today(&mut c);
        let mut runs = super::fit_runs(label_runs, lw);
        runs.push(("│".into(), Role::Dim));
        runs.extend(c.runs());
        lines.push(ChartLine { runs, row, ghost });
    }

    // The legend names what the chart draws.
    let targets = view.has_milestones();
    let mut legend: Runs = vec![("█ now".into(), Role::Plain)];
    if targets {
        legend.push(("  ◆ target".into(), Role::Plain));
    }
    legend.push(("  ┆ today".into(), Role::Warn));
    if has_baseline {
        legend.push(("  ░ baseline".into(), Role::Dim));
        if targets {
            legend.push(("  ◇ baseline target".into(), Role::Dim));
        }
    }
    Chart {
        label_width: lw,
        header,
        lines,
        scroll,
        max_scroll,
        legend,
        line_rows,
        first_line,
    }
}

/// The legend in lines of at most `width` columns, broken between its
/// entries (never inside one), each line's first entry without the gap
/// before it.
pub fn legend_lines(legend: &Runs, width: usize) -> Vec<Runs> {
    let mut out: Vec<Runs> = vec![];
    let mut used = 0;
    for (text, role) in legend {
        let w = super::width(text);
        match out.last_mut() {
            Some(line) if used + w <= width => {
                line.push((text.clone(), *role));
                used += w;
            }
            _ => {
                let entry = text.trim_start().to_string();
                used = super::width(&entry);
                out.push(vec![(entry, *role)]);
            }
        }
    }
    out
}

/// `s` padded with spaces (or cut) to exactly `w` columns.
fn pad(s: &str, w: usize) -> String {
    let f = super::fit(s, w);
    let n = super::width(&f);
    format!("{f}{}", " ".repeat(w.saturating_sub(n)))
}

/// A line's plain text.
pub fn plain(runs: &Runs) -> String {
    runs.iter().map(|(t, _)| t.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lens::timeline::{BaselineLabel, ShiftKind, TimelineGroup, Was};
    use crate::model::DateSpec;
    use crate::model::EntityKind;

    const TODAY: Date = jiff::civil::date(2027, 5, 10);

    fn bar(start: &str, end: &str) -> Place {
        Place::Bar {
            start: DateSpec::parse(start).unwrap(),
            end: DateSpec::parse(end).unwrap(),
            derived: false,
        }
    }

    fn row(id: &str, place: Place) -> TimelineRow {
        TimelineRow {
            entity: EntityKind::Release,
            id: id.into(),
            label: format!("{id} Label"),
            depth: 0,
            place,
            milestone: true,
            status: Some(Status::InProgress),
            health: None,
            confidence: None,
            commitment: None,
            layer: None,
            baseline: None,
            shift: None,
        }
    }

    fn view(rows: Vec<TimelineRow>) -> TimelineView {
        let mut v = TimelineView {
            title: "T".into(),
            lens: "exec".into(),
            by: crate::lens::By::Release,
            today: TODAY,
            today_text: TODAY.to_string(),
            baseline: None,
            groups: vec![TimelineGroup {
                id: "g".into(),
                title: "G".into(),
                rows,
            }],
            removed: vec![],
            extent: Default::default(),
        };
        v.measure();
        v
    }

    fn text(c: &Chart) -> String {
        let mut s = String::new();
        for l in c.header.iter().chain(c.lines.iter().map(|l| &l.runs)) {
            s.push_str(&plain(l));
            s.push('\n');
        }
        s
    }

    #[test]
    fn bars_milestones_and_today_by_quarter() {
        let v = view(vec![row("v1", bar("2027-01", "2027-Q3"))]);
        assert_eq!(fit_scale(&v, 80), Scale::Month);
        let c = layout(
            &v,
            &ChartOpts {
                width: 60,
                scale: Scale::Quarter,
                scroll: 0,
                from: None,
                to: None,
                window: None,
            },
        );
        let t = text(&c);
        assert!(t.contains("2027"), "{t}");
        assert!(t.contains("Q1    Q2    Q3"), "{t}");
        // Jan..Sep: three quarters of six cells, the last one the target.
        assert!(t.contains("│█████████████████◆"), "{t}");
        assert!(t.contains('▼'), "{t}");
        for l in t.lines() {
            assert_eq!(super::super::width(l), 60, "{l:?}");
        }
    }

    /// An axis that starts in the last quarter of a year with today in it
    /// (found in the demo on 2026-11-29: "▼20262027"): the first year's
    /// label does not fit beside the marker inside its quarter, so it is
    /// left out; the next year's label stands apart.
    #[test]
    fn year_labels_never_run_together() {
        let mut v = view(vec![row("v1", bar("2026-10", "2027-Q3"))]);
        v.today = jiff::civil::date(2026, 11, 29);
        let opts = |width| ChartOpts {
            width,
            scale: Scale::Quarter,
            scroll: 0,
            from: None,
            to: None,
            window: None,
        };
        for width in [60, 80, 160] {
            let t = text(&layout(&v, &opts(width)));
            let years = t.lines().next().unwrap();
            assert!(!years.contains("20262027"), "{t}");
            assert!(!years.contains("62027"), "{t}");
            assert!(years.contains("▼"), "{t}");
            assert!(years.contains(" 2027"), "{t}");
        }
    }

    #[test]
    fn eighth_blocks_end_a_bar_inside_a_cell() {
        let mut r = row("w", bar("2027-01-01", "2027-01-20"));
        r.milestone = false;
        let v = view(vec![r]);
        let c = layout(
            &v,
            &ChartOpts {
                width: 40,
                scale: Scale::Month,
                scroll: 0,
                from: None,
                to: None,
                window: None,
            },
        );
        let line = plain(&c.lines[0].runs);
        // 20 days of January at 4 cells a month: 2.6 cells.
        assert!(line.contains("██▋"), "{line}");
    }

    #[test]
    fn a_baseline_draws_a_ghost_line_with_its_tag() {
        let mut r = row("v1", bar("2027-01", "2027-Q4"));
        r.baseline = Some(Was {
            in_baseline: true,
            place: Some(bar("2027-01", "2027-Q3")),
            commitment: None,
        });
        r.shift = Some(Box::new(crate::lens::timeline::RowShift {
            kind: ShiftKind::Slipped,
            shift: crate::model::Shift::Slipped {
                amount: Some(crate::model::date::Amount {
                    n: 1,
                    unit: crate::model::date::AmountUnit::Quarter,
                }),
            },
            old: DateSpec::parse("2027-Q3").unwrap(),
            new: DateSpec::parse("2027-Q4").unwrap(),
        }));
        let mut v = view(vec![r]);
        v.baseline = Some(BaselineLabel::default());
        let c = layout(
            &v,
            &ChartOpts {
                width: 80,
                scale: Scale::Quarter,
                scroll: 0,
                from: None,
                to: None,
                window: None,
            },
        );
        assert_eq!(c.lines.len(), 2);
        let ghost = plain(&c.lines[1].runs);
        assert!(ghost.contains("» +1 quarter"), "{ghost}");
        assert!(ghost.contains("░░░░░░░░░░░░░░░░░◇"), "{ghost}");
        assert!(c.lines[1].ghost);
    }

    #[test]
    fn horizons_get_their_columns() {
        let v = view(vec![
            row("v1", bar("2027-01", "2027-Q3")),
            row(
                "v4",
                Place::Horizon {
                    horizon: Horizon::Later,
                },
            ),
        ]);
        let c = layout(
            &v,
            &ChartOpts {
                width: 80,
                scale: Scale::Quarter,
                scroll: 0,
                from: None,
                to: None,
                window: None,
            },
        );
        let t = text(&c);
        assert!(t.contains("│Later"), "{t}");
        assert!(plain(&c.lines[1].runs).ends_with("│█████◆"), "{t}");
    }
}
