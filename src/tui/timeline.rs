//! The timeline of a lens tab (`v`): the chart of [`crate::vocab::chart`]
//! with a frozen label column and axis, zoom (`+` / `-`), sideways scroll
//! (`h` / `l`), a cursor on the rows (`Enter`: the detail), a baseline from
//! history (`b`: the entry marked in History, else a picker of tags, recent
//! roadmap commits and dates; `B` clears it) and the time-lapse (`<` / `>`
//! step the roadmap through the commits that changed it; the baseline
//! stays put). In presentation mode the timeline is a page of its own and
//! `a` replays history on it, a step every few seconds.
//!
//! The projection is computed when what it depends on changes
//! ([`refresh`]), never while drawing.

use super::app::{App, Tab, areas};
use super::doc::clean;
use super::keys::Action;
use super::theme::{Role, Theme};
use super::worker::{BaseLoaded, BaseSpec, Job, Msg};
use crate::diff::history::by_quarter;
use crate::lens::timeline::{BaselineLabel, By, Projection, TimelineView, has_timeline, project};
use crate::lens::{ItemRef, Lens};
use crate::model::Roadmap;
use crate::repo::{HistoryEntry, Rev};
use crate::vocab::chart::{self, Chart, ChartOpts, Runs, Scale};
use jiff::ToSpan;
use jiff::civil::Date;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// How often the auto-replay steps.
pub const REPLAY_MILLIS: u64 = 2500;

/// A baseline: a revision, and the roadmap as it was then.
pub struct Base {
    pub rev: Rev,
    /// The revision as named (a tag, a short commit id, a date) and its
    /// day: each lens names it its own way ([`BaselineLabel::for_lens`]).
    pub name: String,
    pub date: Option<Date>,
    /// The roadmap id it belongs to.
    pub id: String,
    /// `None`: the roadmap was not there yet (everything is new).
    pub roadmap: Option<Roadmap>,
}

/// One step of the time-lapse: a commit that changed the roadmap.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub rev: Rev,
    /// The roadmap file's path at that commit (repository-relative).
    pub path: String,
    pub summary: String,
    pub time: i64,
    pub offset: i32,
}

/// Where the time-lapse is: `pos` 0 is now, `k` the k-th commit back.
#[derive(Default)]
pub struct Lapse {
    pub pos: usize,
    pub steps: Vec<Step>,
    /// The roadmap at `steps[pos - 1]`, once loaded.
    pub roadmap: Option<Roadmap>,
    /// Its timeline rows through the lens that stepped (the worker
    /// projected them), until the view takes them.
    rows: Option<(Lens, Projection)>,
    /// The roadmap the last step replaced: it goes back to the worker with
    /// the next request and is freed there (freeing a big roadmap takes
    /// longer than drawing a frame).
    spent: Option<Roadmap>,
    pub error: Option<String>,
    pub loading: bool,
    seq: u64,
    /// Bumped when a step's roadmap arrives.
    loaded: u64,
}

/// One entry of the baseline picker.
#[derive(Clone, Debug, PartialEq)]
pub struct PickItem {
    pub text: String,
    pub spec: BaseSpec,
}

#[derive(Default)]
pub struct TimelineState {
    /// Which lens tabs (Executive, Sales, Engineering, Layers) show their
    /// timeline.
    pub on: [bool; 4],
    /// `None`: the scale that fits the whole range.
    pub scale: Option<Scale>,
    pub scroll: i64,
    /// The row under the cursor and the first body line shown.
    pub cursor: usize,
    pub top: usize,
    pub baseline: Option<Base>,
    pub lapse: Lapse,
    pub picker: Option<(Vec<PickItem>, usize)>,
    pub tags: Vec<(String, Rev, Option<Date>)>,
    pub replay: bool,
    /// Presentation: the first body line shown.
    pub present_top: usize,
    /// The projection and what it was computed from.
    pub view: Option<TimelineView>,
    key: Option<String>,
    /// What the view's own rows were projected from, and the baseline's
    /// rows with what they were projected from: a time-lapse step or a
    /// reload projects only the roadmap, setting a baseline only the
    /// baseline (the view's rows are compared again, never copied).
    now_key: Option<String>,
    base_rows: Option<(String, Projection)>,
    /// The list's item when the timeline was switched on: its row gets the
    /// cursor once the projection is there.
    want: Option<ItemRef>,
}

fn tab_index(tab: Tab) -> Option<usize> {
    match tab {
        Tab::Exec => Some(0),
        Tab::Sales => Some(1),
        Tab::Eng => Some(2),
        Tab::Layers => Some(3),
        Tab::History => None,
    }
}

pub(super) fn lapse_seq(app: &App) -> u64 {
    app.timeline.lapse.seq
}

/// The current tab shows its timeline (the decision canvas, which has
/// none, shows itself over a layer's timeline).
pub fn is_on(app: &App) -> bool {
    tab_index(app.tab).is_some_and(|i| app.timeline.on[i])
        && app.tab_lens(app.tab).is_none_or(|l| has_timeline(&l))
}

/// The roadmap the timeline draws: the time-lapse's, else the current one.
pub(super) fn shown_roadmap(app: &App) -> Option<&Roadmap> {
    let t = &app.timeline;
    if t.lapse.pos > 0 {
        return t.lapse.roadmap.as_ref();
    }
    app.source().and_then(|s| s.roadmap())
}

/// Recompute the projection when what it depends on changed: the shown
/// roadmap's rows when it changed (a reload, a time-lapse step, another
/// lens), the baseline's when the baseline or the lens changed, and the
/// comparison of the two when either did.
pub fn refresh(app: &mut App, loads: u64) {
    if !is_on(app) {
        return;
    }
    let Some(lens) = app.tab_lens(app.tab) else {
        app.timeline.view = None;
        return;
    };
    let by = By::default_for(&lens);
    let t = &app.timeline;
    let now_key = format!(
        "{loads}|{}|{}|{}|{}|{}",
        app.current,
        app.travel.as_ref().map_or("", |x| x.label.as_str()),
        lens.name(),
        t.lapse.pos,
        t.lapse.loaded
    );
    let base = t.baseline.as_ref().filter(|b| {
        app.source()
            .and_then(|s| s.roadmap())
            .is_some_and(|r| r.meta.id == b.id)
    });
    let base_key = base.map(|b| format!("{:?}|{}|{}", b.rev, b.roadmap.is_some(), lens.name()));
    let key = format!("{now_key}|{base_key:?}");
    if t.key.as_deref() == Some(key.as_str()) {
        place_wanted(app);
        return;
    }
    let base_rows = base_key
        .as_ref()
        .filter(|k| t.base_rows.as_ref().is_none_or(|(have, _)| have != *k))
        .map(|k| {
            // Not there yet, or without the layer: everything is new.
            let rows = base
                .and_then(|b| b.roadmap.as_ref())
                .and_then(|r| project(r, &lens, by))
                .unwrap_or_else(|| Projection::empty(by));
            (k.clone(), rows)
        });
    let label = base.map(|b| BaselineLabel::for_lens(&lens, &b.name, b.date));
    let same_rows = t.now_key.as_ref() == Some(&now_key);
    if base_rows.is_some() || base_key.is_none() {
        // Kept for the baseline shown, and dropped with it.
        app.timeline.base_rows = base_rows;
    }
    // The view's rows when only the baseline changed, else projected anew.
    // A time-lapse step's rows come projected from the worker.
    let lapsed = match &mut app.timeline.lapse {
        l if l.pos > 0 => l.rows.take().filter(|(l, _)| *l == lens),
        _ => None,
    };
    let rows = match app.timeline.view.take().filter(|_| same_rows) {
        Some(kept) => Some(kept.into_projection()),
        None => match lapsed {
            Some((_, rows)) => Some(rows),
            None => shown_roadmap(app).and_then(|r| project(r, &lens, by)),
        },
    };
    let today = shown_roadmap(app).map(|r| r.today);
    let t = &app.timeline;
    let base_rows = base_key.and(t.base_rows.as_ref()).map(|(_, p)| p);
    let view = rows.zip(today).map(|(rows, today)| {
        let mut v = TimelineView::of(rows, &lens, base_rows, today);
        v.baseline = label;
        v
    });
    app.timeline.now_key = Some(now_key);
    app.timeline.view = view;
    app.timeline.key = Some(key);
    let rows = app.timeline.view.as_ref().map_or(0, |v| v.rows().count());
    app.timeline.cursor = app.timeline.cursor.min(rows.saturating_sub(1));
    place_wanted(app);
    follow(app);
}

/// Put the cursor on the row of the item the list had selected.
fn place_wanted(app: &mut App) {
    if let Some(want) = app.timeline.want.take() {
        select(app, &want);
    }
}

/// Put the cursor on `item`'s row (a search's jump): false when the
/// timeline has no row of it.
pub(super) fn select(app: &mut App, item: &ItemRef) -> bool {
    let at = app.timeline.view.as_ref().and_then(|v| {
        v.rows()
            .position(|r| r.entity == item.entity && r.id == item.id)
    });
    if let Some(i) = at {
        app.timeline.cursor = i;
        follow(app);
    }
    at.is_some()
}

/// The item under the cursor.
pub fn selected(app: &App) -> Option<ItemRef> {
    if !is_on(app) {
        return None;
    }
    let v = app.timeline.view.as_ref()?;
    let r = v.rows().nth(app.timeline.cursor)?;
    Some(ItemRef {
        entity: r.entity,
        id: r.id.clone(),
    })
}

/// The chart body's area inside the main area (below the title lines and
/// the axis; the last line is the legend when there is room).
fn body_rows(main: Rect, lapse: bool) -> usize {
    let top = 1 + usize::from(lapse) + 2;
    let legend = usize::from(main.height >= 14);
    (main.height as usize).saturating_sub(top + legend)
}

fn lapse_shown(app: &App) -> bool {
    app.timeline.lapse.pos > 0 || app.timeline.lapse.loading
}

fn opts(app: &App, width: usize, window: Option<(usize, usize)>) -> Option<ChartOpts> {
    let v = app.timeline.view.as_ref()?;
    Some(ChartOpts {
        width,
        // The zoom is the tabs' own, but never finer than this lens allows
        // (Sales: quarters), whichever tab set it.
        scale: app
            .timeline
            .scale
            .map_or_else(|| chart::fit_scale(v, width), |s| chart::scale_for(v, s)),
        scroll: app.timeline.scroll,
        from: None,
        to: None,
        window,
    })
}

/// Keep the cursor's lines on screen.
fn follow(app: &mut App) {
    let main = areas(app.size).main;
    let rows = body_rows(main, lapse_shown(app));
    let Some(o) = opts(app, main.width as usize, Some((0, 0))) else {
        return;
    };
    let Some(v) = app.timeline.view.as_ref() else {
        return;
    };
    let c = chart::layout(v, &o);
    let cur = app.timeline.cursor;
    let first = c.line_rows.iter().position(|r| *r == Some(cur));
    let last = c.line_rows.iter().rposition(|r| *r == Some(cur));
    if let (Some(first), Some(last)) = (first, last) {
        // Show a group heading just above the first row of its group.
        let first = if first > 0 && c.line_rows[first - 1].is_none() {
            first - 1
        } else {
            first
        };
        app.timeline.top = super::doc::keep_visible(app.timeline.top, first, last, rows.max(1));
    }
    app.timeline.scroll = c.scroll;
}

/// The commits that changed the roadmap shown, newest first: every
/// committed history entry touching its file (followed back through
/// renames). `display` is the file's path as listed (relative to where the
/// TUI was opened, or to the repository).
pub fn steps(entries: &[HistoryEntry], display: &str) -> Vec<Step> {
    let mut current: Option<String> = None;
    let mut out = vec![];
    let is_it = |p: &str, current: &Option<String>| match current {
        Some(c) => p == c,
        None => p == display || p.ends_with(&format!("/{display}")),
    };
    for e in entries {
        if e.rev.commit().is_none() {
            continue;
        }
        let Some(fc) = e.files.iter().find(|f| match &f.new_path {
            Some(p) => is_it(p, &current),
            None => false,
        }) else {
            continue;
        };
        let Some(path) = fc.new_path.clone() else {
            continue;
        };
        out.push(Step {
            rev: e.rev.clone(),
            path: path.clone(),
            summary: e.summary.clone(),
            time: e.time,
            offset: e.offset_minutes,
        });
        current = Some(fc.old_path.clone().unwrap_or(path));
    }
    out
}

/// Step the time-lapse `by` commits (positive: back in time).
fn step(app: &mut App, by: i64) -> bool {
    let display = app.source().map(|s| s.display.clone()).unwrap_or_default();
    if app.travel.is_some() {
        app.message = Some("the time-lapse starts from the working tree: O first".into());
        return true;
    }
    let list = steps(&app.history.entries, &display);
    let l = &mut app.timeline.lapse;
    // Keep the position on the same commit when the list changed.
    let at = l
        .pos
        .checked_sub(1)
        .and_then(|i| l.steps.get(i))
        .and_then(|s| list.iter().position(|x| x.rev == s.rev))
        .map_or(0, |i| i + 1);
    l.steps = list;
    if l.steps.is_empty() {
        app.message = Some(if app.history.loading {
            "history is still loading…".into()
        } else {
            "no commit changed this roadmap".into()
        });
        return true;
    }
    let pos = (at as i64 + by).clamp(0, l.steps.len() as i64) as usize;
    if pos == l.pos && pos == at {
        app.message = Some(if by > 0 {
            "the first commit of this roadmap".into()
        } else {
            "now: the working tree".into()
        });
        return true;
    }
    l.pos = pos;
    l.seq += 1;
    l.error = None;
    if pos == 0 {
        l.spent = l.roadmap.take().or(l.spent.take());
        l.rows = None;
        l.loading = false;
        return true;
    }
    l.loading = true;
    let s = l.steps[pos - 1].clone();
    let seq = l.seq;
    let spent = l.spent.take();
    let lens = app.tab_lens(app.tab);
    app.worker.submit(Job::Lapse {
        seq,
        rev: s.rev,
        path: s.path,
        lens,
        spent,
    });
    true
}

/// `b`: the entry marked in History, else the picker.
fn set_baseline(app: &mut App) -> bool {
    if app.travel.is_some() {
        app.message = Some("a baseline is set on the working tree: O first".into());
        return true;
    }
    if let Some(rev) = app.history.base.clone() {
        request_baseline(app, BaseSpec::Rev(rev));
        return true;
    }
    if app.history.no_repo.is_some() {
        app.message = Some("a baseline needs a git repository".into());
        return true;
    }
    app.worker.submit(Job::Tags);
    app.timeline.picker = Some((pick_items(app), 0));
    true
}

fn request_baseline(app: &mut App, spec: BaseSpec) {
    let Some(src) = app.source() else { return };
    let (Some(path), Some(r)) = (src.path.clone(), src.roadmap()) else {
        app.message = Some("this roadmap is not a file in the repository".into());
        return;
    };
    let id = r.meta.id.clone();
    app.message = Some("loading the baseline…".into());
    app.worker.submit(Job::Baseline { spec, path, id });
}

/// The picker: tags, recent roadmap commits, dates.
fn pick_items(app: &App) -> Vec<PickItem> {
    let mut out = vec![];
    let sales = by_quarter(app.tab_lens(app.tab).as_ref());
    for (name, rev, day) in &app.timeline.tags {
        // A tag may name a release: under sales, only its quarter.
        let text = if sales {
            format!("{}  (a tagged version)", sales_name(*day))
        } else {
            let d = day.map(|d| format!("  {d}")).unwrap_or_default();
            format!("tag {}{d}", clean(name))
        };
        out.push(PickItem {
            text,
            spec: BaseSpec::Tag(name.clone(), rev.clone()),
        });
    }
    let display = app.source().map(|s| s.display.clone()).unwrap_or_default();
    let all = steps(&app.history.entries, &display);
    // The day of the roadmap's first commit, once history is all there: a
    // date before it has no version to offer.
    let first = all
        .last()
        .filter(|_| !app.history.loading)
        .and_then(step_date);
    for (k, s) in all.into_iter().take(20).enumerate() {
        let day = super::worker::day(s.time, s.offset);
        // Commit ids, days and messages name releases and dates: under
        // sales, the quarter only.
        let text = if sales {
            let ago = match k {
                0 => "the latest change".to_string(),
                1 => "1 change back".to_string(),
                k => format!("{k} changes back"),
            };
            format!(
                "{}  (the roadmap as of then: {ago})",
                sales_name(step_date(&s))
            )
        } else {
            format!("{} {day}  {}", s.rev.label(), clean(&s.summary))
        };
        out.push(PickItem {
            text,
            spec: BaseSpec::Rev(s.rev),
        });
    }
    let today = app
        .source()
        .and_then(|s| s.roadmap())
        .map_or_else(crate::model::today, |r| r.today);
    let q = Date::new(today.year(), (today.month() - 1) / 3 * 3 + 1, 1).unwrap_or(today);
    let dates = [
        ("start of this quarter", Some(q)),
        ("start of this year", Date::new(today.year(), 1, 1).ok()),
        ("3 months ago", today.checked_sub(3.months()).ok()),
        ("6 months ago", today.checked_sub(6.months()).ok()),
        ("1 year ago", today.checked_sub(1.year()).ok()),
    ];
    for (what, d) in dates {
        if let Some(d) = d.filter(|d| first.is_none_or(|f| *d >= f)) {
            let text = if sales {
                format!("{}  ({what}: the roadmap as of then)", sales_name(Some(d)))
            } else {
                format!("{d}  ({what}: the last commit on or before it)")
            };
            out.push(PickItem {
                text,
                spec: BaseSpec::Name(d.to_string()),
            });
        }
    }
    out
}

/// A revision or a day as the sales lens names it: its quarter only (the
/// rule of [`BaselineLabel::for_lens`]; no commit id, tag or day).
fn sales_name(date: Option<Date>) -> String {
    BaselineLabel::for_lens(&crate::lens::Lens::Sales, "", date).to_string()
}

/// The time-lapse step the current tab's timeline shows, named as its
/// step line names it (`2c0588c 2027-04-12`; under sales its quarter), when
/// it shows one (not now).
pub(super) fn stepped(app: &App) -> Option<String> {
    let l = &app.timeline.lapse;
    if !is_on(app) || l.roadmap.is_none() {
        return None;
    }
    let st = l.pos.checked_sub(1).and_then(|i| l.steps.get(i))?;
    Some(step_name(st, by_quarter(app.tab_lens(app.tab).as_ref())))
}

/// A step as the time-lapse names it: its short commit id and day, or
/// (`by_quarter`) its quarter only.
fn step_name(st: &Step, by_quarter: bool) -> String {
    if by_quarter {
        sales_name(step_date(st))
    } else {
        format!(
            "{} {}",
            st.rev.label(),
            super::worker::day(st.time, st.offset)
        )
    }
}

/// The day of a time-lapse step, in its author's offset.
fn step_date(s: &Step) -> Option<Date> {
    crate::diff::history::zoned(s.time, s.offset).map(|z| z.date())
}

/// A key for the timeline, its picker or its presentation page. `None`:
/// not the timeline's.
pub fn update(app: &mut App, action: Action) -> Option<bool> {
    if let Some((items, sel)) = &mut app.timeline.picker {
        let n = items.len();
        match action {
            Action::Back => app.timeline.picker = None,
            Action::Down => *sel = (*sel + 1).min(n.saturating_sub(1)),
            Action::Up => *sel = sel.saturating_sub(1),
            Action::Top => *sel = 0,
            Action::Bottom => *sel = n.saturating_sub(1),
            Action::Open => {
                let spec = items.get(*sel).map(|i| i.spec.clone());
                app.timeline.picker = None;
                if let Some(spec) = spec {
                    request_baseline(app, spec);
                }
            }
            _ => {}
        }
        return Some(true);
    }
    if app.present.is_some() {
        if !is_on(app) {
            return None;
        }
        return match action {
            Action::Replay => {
                let t = &mut app.timeline;
                t.replay = !t.replay;
                if t.replay {
                    // From the first commit (or where the lapse is) to now.
                    let display = app.source().map(|s| s.display.clone()).unwrap_or_default();
                    let n = steps(&app.history.entries, &display).len();
                    if app.timeline.lapse.pos == 0 && n > 0 {
                        step(app, n as i64);
                    }
                    app.worker.submit(Job::Tick {
                        millis: REPLAY_MILLIS,
                    });
                    app.message = Some("replaying history: a to stop".into());
                }
                Some(true)
            }
            Action::LapseBack => Some(step(app, 1)),
            Action::LapseForward => Some(step(app, -1)),
            // A page of rows at a time, never past the last page.
            Action::PresentNext => {
                let (lines, rows) = present_paging(app);
                let last = lines.saturating_sub(rows);
                let t = &mut app.timeline;
                t.present_top = (t.present_top + rows).min(last);
                Some(true)
            }
            Action::PresentPrev => {
                let (_, rows) = present_paging(app);
                let t = &mut app.timeline;
                t.present_top = t.present_top.saturating_sub(rows);
                Some(true)
            }
            Action::Back => {
                app.timeline.replay = false;
                None
            }
            _ => None,
        };
    }
    if app.detail.is_some() || app.search.is_some() || app.help.is_some() {
        return None;
    }
    let i = tab_index(app.tab)?;
    if action == Action::ToggleTimeline {
        // The decision canvas has no dates: said as the CLI says it.
        if let Some(lens) = app.tab_lens(app.tab).filter(|l| !has_timeline(l)) {
            app.message = Some(format!("the {} lens has no timeline", lens.name()));
            return Some(true);
        }
        // The selection goes along: the list's item is the timeline's row,
        // and back.
        if app.timeline.on[i] {
            let item = selected(app);
            app.timeline.on[i] = false;
            if let Some(item) = item {
                app.jump(&item);
            }
        } else {
            app.timeline.want = app.selected_item();
            app.timeline.on[i] = true;
        }
        return Some(true);
    }
    if !is_on(app) {
        return None;
    }
    let rows = app.timeline.view.as_ref().map_or(0, |v| v.rows().count());
    let page = body_rows(areas(app.size).main, lapse_shown(app)).max(2) / 2;
    let t = &mut app.timeline;
    match action {
        Action::ZoomIn | Action::ZoomOut => {
            let width = areas(app.size).main.width as usize;
            // From the scale shown, to one this lens allows, keeping
            // today (or the middle of what was shown) in view.
            let before = opts(app, width, Some((0, 0)));
            let t = &mut app.timeline;
            match (before, t.view.as_ref()) {
                (Some(o), Some(v)) => {
                    let to = chart::scale_for(
                        v,
                        if action == Action::ZoomIn {
                            o.scale.finer()
                        } else {
                            o.scale.coarser()
                        },
                    );
                    t.scale = Some(to);
                    t.scroll = chart::zoom_scroll(v, &o, to);
                }
                _ => {
                    t.scale = Some(Scale::Quarter);
                    t.scroll = 0;
                }
            }
        }
        Action::Left => t.scroll = (t.scroll - 1).max(0),
        Action::Right => t.scroll += 1,
        Action::Down => t.cursor = (t.cursor + 1).min(rows.saturating_sub(1)),
        Action::Up => t.cursor = t.cursor.saturating_sub(1),
        Action::PageDown => t.cursor = (t.cursor + page).min(rows.saturating_sub(1)),
        Action::PageUp => t.cursor = t.cursor.saturating_sub(page),
        Action::Top => {
            t.cursor = 0;
            t.top = 0;
        }
        Action::Bottom => t.cursor = rows.saturating_sub(1),
        Action::SetBaseline => return Some(set_baseline(app)),
        Action::ClearBaseline => {
            t.baseline = None;
            app.message = Some("baseline cleared".into());
        }
        Action::LapseBack => return Some(step(app, 1)),
        Action::LapseForward => return Some(step(app, -1)),
        _ => return None,
    }
    follow(app);
    Some(true)
}

/// Background results for the timeline.
pub fn msg(app: &mut App, msg: Msg) -> bool {
    match msg {
        Msg::Baseline(Ok(b)) => {
            let BaseLoaded {
                rev,
                name,
                date,
                id,
                roadmap,
            } = b;
            let lens = app.tab_lens(app.tab).unwrap_or(crate::lens::Lens::Exec);
            let name = clean(&name);
            let label = BaselineLabel::for_lens(&lens, &name, date);
            app.message = Some(match &roadmap {
                Some(_) => format!("baseline: {label}"),
                None => format!("baseline: {label} (the roadmap was not there yet)"),
            });
            app.timeline.baseline = Some(Base {
                rev,
                name,
                date,
                id,
                roadmap,
            });
            true
        }
        Msg::Baseline(Err(e)) => {
            // Why names a day, a revision or a line: under sales, the
            // quarter the picker offered is all it may say.
            app.message = Some(if by_quarter(app.tab_lens(app.tab).as_ref()) {
                "no baseline: no version of the roadmap for that quarter".to_string()
            } else {
                format!("no baseline: {}", clean(&e))
            });
            true
        }
        Msg::Lapse(seq, r) => {
            let l = &mut app.timeline.lapse;
            if seq != l.seq {
                return false;
            }
            l.loading = false;
            match r {
                Ok(r) => {
                    if let Some(old) = l.roadmap.replace(r.roadmap) {
                        l.spent = Some(old);
                    }
                    l.rows = r.rows;
                    l.error = None;
                }
                Err(e) => l.error = Some(e),
            }
            l.loaded += 1; // a new projection
            true
        }
        Msg::Tags(tags) => {
            app.timeline.tags = tags;
            if let Some((items, sel)) = &app.timeline.picker {
                // The picker opens on its first row, however soon the tags
                // come: a row the user moved to stays selected.
                let keep = items.get(*sel).cloned().filter(|_| *sel > 0);
                let fresh = pick_items(app);
                let sel = keep
                    .and_then(|k| fresh.iter().position(|i| *i == k))
                    .unwrap_or(0);
                app.timeline.picker = Some((fresh, sel));
            }
            true
        }
        Msg::Tick => {
            if !app.timeline.replay || app.present.is_none() {
                return false;
            }
            if app.timeline.lapse.pos == 0 {
                app.timeline.replay = false;
                app.message = Some("replay done: now".into());
                return true;
            }
            step(app, -1);
            if app.timeline.lapse.pos > 0 {
                app.worker.submit(Job::Tick {
                    millis: REPLAY_MILLIS,
                });
            } else {
                app.timeline.replay = false;
                app.message = Some("replay done: now".into());
            }
            true
        }
        _ => false,
    }
}

// ------------------------------------------------------------------ draw

fn spans(runs: &Runs, theme: &Theme, base: Style) -> Vec<Span<'static>> {
    runs.iter()
        .map(|(t, r)| Span::styled(t.clone(), base.patch(theme.style(*r))))
        .collect()
}

/// The title line: lens, grouping, zoom, baseline.
fn title(app: &App, v: &TimelineView, scale: Scale, width: usize) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let base = match &v.baseline {
        Some(b) => Span::styled(
            format!("   baseline: {}", clean(&b.to_string())),
            theme.style(Role::Title),
        ),
        // (A presentation neither sets a baseline nor zooms: no key to
        // offer.)
        None if app.present.is_some() => {
            Span::styled("   no baseline".to_string(), theme.style(Role::Dim))
        }
        None => Span::styled("   no baseline (b)".to_string(), theme.style(Role::Dim)),
    };
    let zoom = if app.present.is_some() { "" } else { " (+/-)" };
    let how = format!(" · by {} · {}{zoom}", v.by.as_str(), scale.name());
    let head = " TIMELINE";
    // Narrow: the baseline is worth more than the grouping and zoom.
    let mut s = vec![Span::styled(head, theme.style(Role::Heading))];
    if [head, how.as_str(), &base.content]
        .map(crate::vocab::width)
        .iter()
        .sum::<usize>()
        <= width
    {
        s.push(Span::styled(how, theme.style(Role::Dim)));
    }
    s.push(base);
    s
}

/// The time-lapse line: which commit, its date and subject.
fn lapse_line(app: &App) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let l = &app.timeline.lapse;
    let n = l.steps.len();
    let mut s = vec![Span::styled(
        format!(" ◂ {}/{n} ▸ ", l.pos),
        theme.style(Role::Key),
    )];
    let sales = by_quarter(app.tab_lens(app.tab).as_ref());
    let step = l.pos.checked_sub(1).and_then(|i| l.steps.get(i));
    if let Some(st) = step {
        // Commit ids, days and messages name releases and dates: under
        // sales, the quarter only.
        let name = step_name(st, sales);
        s.push(Span::styled(name, theme.style(Role::Title)));
    }
    // Before the subject, which a narrow screen cuts: the bars are still
    // the last version shown until this one is there.
    if l.loading {
        s.push(Span::styled("  loading…", theme.style(Role::Dim)));
    }
    if let Some(e) = &l.error {
        // Why may name a revision or an object: not under sales.
        let text = if sales {
            "  cannot show this version".to_string()
        } else {
            format!("  cannot show it: {}", clean(e))
        };
        s.push(Span::styled(text, theme.style(Role::Bad)));
    }
    if let Some(st) = step.filter(|_| !sales) {
        s.push(Span::raw(format!("  {}", clean(&st.summary))));
    }
    s
}

/// One line of the chart's area, cut with `…` when it is too long.
fn line(spans: Vec<Span<'static>>, area: Rect, y: u16, buf: &mut Buffer) {
    if y < area.y + area.height {
        let spans = super::doc::fit_spans(spans, area.width as usize);
        Line::from(spans).render(Rect::new(area.x, y, area.width, 1), buf);
    }
}

/// Draw the chart: title, time-lapse line, axis, body from `top`, legend.
fn draw_chart(app: &App, area: Rect, buf: &mut Buffer, top: usize, cursor: Option<usize>) {
    let theme = &app.theme;
    let Some(v) = app.timeline.view.as_ref() else {
        let msg = if lapse_shown(app) {
            "loading this revision…"
        } else {
            "nothing to draw"
        };
        line(
            vec![Span::styled(msg.to_string(), theme.style(Role::Dim))],
            area,
            area.y,
            buf,
        );
        return;
    };
    let lapse = lapse_shown(app);
    let rows = body_rows(area, lapse);
    let Some(o) = opts(app, area.width as usize, Some((top, rows))) else {
        return;
    };
    let c: Chart = chart::layout(v, &o);
    let mut y = area.y;
    line(title(app, v, o.scale, area.width as usize), area, y, buf);
    y += 1;
    if lapse {
        line(lapse_line(app), area, y, buf);
        y += 1;
    }
    for h in &c.header {
        line(spans(h, theme, Style::new()), area, y, buf);
        y += 1;
    }
    let lw = c.label_width as u16;
    for l in &c.lines {
        line(spans(&l.runs, theme, Style::new()), area, y, buf);
        if cursor.is_some() && l.row == cursor {
            buf.set_style(
                Rect::new(area.x, y, lw.min(area.width), 1),
                theme.selected(),
            );
        }
        y += 1;
    }
    if area.height >= 14 {
        let ly = area.y + area.height - 1;
        line(spans(&c.legend, theme, Style::new()), area, ly, buf);
    }
}

/// The timeline of the current tab in the main area.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    draw_chart(app, area, buf, app.timeline.top, Some(app.timeline.cursor));
}

/// The presentation page's chart area (below the title, above the footer).
fn present_inner(area: Rect) -> Rect {
    Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(3),
    )
}

/// The chart's body lines in all, and how many a presentation page shows.
fn present_paging(app: &App) -> (usize, usize) {
    let inner = present_inner(app.size);
    let rows = body_rows(inner, lapse_shown(app)).max(1);
    let lines = app
        .timeline
        .view
        .as_ref()
        .zip(opts(app, inner.width as usize, Some((0, 0))))
        .map_or(0, |(v, o)| chart::layout(v, &o).line_rows.len());
    (lines, rows)
}

/// Presentation mode: the timeline full screen, titled, paged.
pub fn render_present(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let heading = app.source().map(|s| s.title()).unwrap_or_default();
    line(
        vec![Span::styled(
            format!(" {heading}"),
            theme.style(Role::Title),
        )],
        area,
        area.y,
        buf,
    );
    let inner = present_inner(area);
    let (lines, rows) = present_paging(app);
    let top = app.timeline.present_top.min(lines.saturating_sub(rows));
    draw_chart(app, inner, buf, top, None);
    let mut keys: Vec<String> = super::keys::hints(&[super::keys::Ctx::Present])
        .into_iter()
        .map(|(k, _, t)| format!("{k} {t}"))
        .collect();
    keys.insert(0, "a replay · < > history".into());
    let state = if app.timeline.replay {
        "replaying · "
    } else {
        ""
    };
    let pages = lines.div_ceil(rows).max(1);
    let page = if pages > 1 {
        let k = if top >= lines.saturating_sub(rows) {
            pages
        } else {
            top / rows + 1
        };
        format!("page {k}/{pages} · ")
    } else {
        String::new()
    };
    let footer = format!("{state}{page}{}", keys.join(" · "));
    Line::styled(
        crate::vocab::fit(&footer, area.width as usize),
        theme.style(Role::Dim),
    )
    .right_aligned()
    .render(
        Rect::new(
            area.x,
            area.y + area.height.saturating_sub(1),
            area.width,
            1,
        ),
        buf,
    );
}

/// The baseline picker over the main area.
pub fn render_picker(app: &App, area: Rect, buf: &mut Buffer) {
    let Some((items, sel)) = &app.timeline.picker else {
        return;
    };
    let theme = &app.theme;
    let w = area.width.saturating_sub(4).min(100);
    let h = (items.len() as u16 + 2).clamp(3, area.height);
    let rect = Rect::new(area.x + (area.width - w) / 2, area.y, w, h);
    Clear.render(rect, buf);
    let title = if by_quarter(app.tab_lens(app.tab).as_ref()) {
        " Baseline: the roadmap as of a quarter (Enter) "
    } else {
        " Baseline: tags, roadmap commits, dates (Enter) "
    };
    let block = Block::bordered().title(title).border_style(theme.border());
    let inner = block.inner(rect);
    block.render(rect, buf);
    let rows = inner.height as usize;
    let scroll = super::doc::keep_visible(0, *sel, *sel, rows);
    for (row, (i, it)) in items.iter().enumerate().skip(scroll).take(rows).enumerate() {
        let style = if i == *sel {
            theme.selected()
        } else {
            Style::new()
        };
        let r = Rect::new(inner.x, inner.y + row as u16, inner.width, 1);
        buf.set_style(r, style);
        Line::styled(crate::vocab::fit(&it.text, inner.width as usize), style).render(r, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::FileChange;

    fn entry(id: &str, files: &[(Option<&str>, Option<&str>)]) -> HistoryEntry {
        HistoryEntry {
            rev: Rev::Commit(id.repeat(40 / id.len())),
            parent: None,
            author: String::new(),
            time: 0,
            offset_minutes: 0,
            summary: format!("commit {id}"),
            message: String::new(),
            files: files
                .iter()
                .map(|(o, n)| FileChange {
                    old_path: o.map(str::to_string),
                    new_path: n.map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn steps_follow_the_file_back_through_renames() {
        let entries = vec![
            entry(
                "a",
                &[(Some("roadmaps/new.toml"), Some("roadmaps/new.toml"))],
            ),
            entry("b", &[(Some("other.toml"), Some("other.toml"))]),
            entry("c", &[(Some("old.toml"), Some("roadmaps/new.toml"))]),
            entry("d", &[(Some("old.toml"), Some("old.toml"))]),
            entry("e", &[(None, Some("old.toml"))]),
        ];
        let s = steps(&entries, "new.toml");
        let paths: Vec<&str> = s.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "roadmaps/new.toml",
                "roadmaps/new.toml",
                "old.toml",
                "old.toml"
            ]
        );
    }
}
