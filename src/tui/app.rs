//! App state and `update`: keys become actions (through the key table),
//! actions and background results change state. Drawing is in `draw.rs`.

use super::doc::{Doc, clean, measure_for};
use super::grid::{self, GridState};
use super::history::History;
use super::keys::{self, Action, Ctx};
use super::search::Search;
use super::theme::{Role, Theme};
use super::views::{Source, Views};
use super::worker::{Job, Msg, Worker};
use crate::diff::ledger::{self, LineKind};
use crate::lens::{self, Detail, ItemRef, Lens};
use crate::repo::Rev;
use jiff::civil::Date;
use ratatui::crossterm::event::{
    Event, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use std::path::{Path, PathBuf};

/// The smallest terminal roadlens draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Exec,
    Sales,
    Eng,
    Layers,
    History,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Exec, Tab::Sales, Tab::Eng, Tab::Layers, Tab::History];
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
    pub fn title(self) -> &'static str {
        match self {
            Tab::Exec => "Executive",
            Tab::Sales => "Sales",
            Tab::Eng => "Engineering",
            Tab::Layers => "Layers",
            Tab::History => "History",
        }
    }

    /// The title in a tab bar too narrow for [`Tab::title`].
    pub fn short(self) -> &'static str {
        match self {
            Tab::Exec => "Exec",
            Tab::Eng => "Eng",
            t => t.title(),
        }
    }
}

/// Cursor (an item index) and scroll (a line) on a page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Nav {
    pub cursor: usize,
    pub scroll: usize,
}

pub enum LedgerState {
    /// None for this item (no repository, or nothing in history changed it).
    None,
    Loading,
    Ready(Vec<ledger::Line>),
    Failed(String),
    /// The item as the time-lapse shows it at a step (named): its history
    /// from now would tell what came after.
    Stepped(String),
}

pub struct DetailState {
    pub target: ItemRef,
    /// The page shows the item's dependency chains (`d`), not its detail.
    pub deps: bool,
    pub detail: Detail,
    pub ledger: LedgerState,
    pub doc: Doc,
    pub scroll: usize,
}

/// The roadmap as of a revision (time travel).
pub struct Travel {
    /// The revision as every lens but sales names it (its id and day).
    pub label: String,
    /// As the sales lens names it (its quarter).
    pub sales_label: String,
    /// The revision (what a report of it names).
    pub rev: Rev,
    pub sources: Vec<Source>,
}

/// The screen split into its parts.
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub main: Rect,
    pub hints: Rect,
}

/// The width of a list beside its preview on a screen `width` wide.
pub fn list_width(width: u16) -> u16 {
    (width * 3 / 5).min(100)
}

pub fn areas(size: Rect) -> Areas {
    let line = |y: u16| Rect::new(size.x, y, size.width, 1);
    Areas {
        header: line(size.y),
        tabs: line(size.y + 1),
        main: Rect::new(
            size.x,
            size.y + 2,
            size.width,
            size.height.saturating_sub(3),
        ),
        hints: line(size.y + size.height.saturating_sub(1)),
    }
}

pub struct App {
    pub(crate) theme: Theme,
    root: PathBuf,
    pub(crate) worktree: Vec<Source>,
    /// Why there is nothing to show (no roadmap found, unreadable path).
    pub(crate) load_error: Option<String>,
    /// The roadmaps are being read (start-up): the screen says so.
    pub(crate) loading: bool,
    /// The newest load asked for (older results are dropped).
    pub(crate) load_seq: u64,
    /// How many loads have arrived: what was computed from the roadmaps
    /// (the timeline's projection) is stale once this moves.
    pub(crate) loads_seen: u64,
    /// The repository's git directories, watched for commits, checkouts and
    /// staging made elsewhere.
    git_dirs: Vec<PathBuf>,
    pub(crate) travel: Option<Travel>,
    pub(crate) current: usize,
    pub(crate) tab: Tab,
    /// The lens tab History was entered from (what `o` opens).
    pub(crate) lens_tab: Tab,
    pub(crate) layer: usize,
    /// The Layers tab shows the decision canvas of the whole product
    /// instead of one layer (`c`).
    pub(crate) canvas: bool,
    pub(crate) canvas_nav: Nav,
    pub(crate) exec_nav: Nav,
    pub(crate) sales_nav: Nav,
    pub(crate) layer_nav: Nav,
    pub(crate) grid: GridState,
    pub(crate) detail: Option<DetailState>,
    pub(crate) search: Option<Search>,
    pub(crate) last_search: Option<Search>,
    pub(crate) help: Option<usize>,
    pub(crate) picker: Option<usize>,
    pub(crate) present: Option<super::present::Pos>,
    pub(crate) history: History,
    pub(crate) size: Rect,
    pub(crate) mouse: bool,
    pub(crate) message: Option<String>,
    /// Wide screens: the detail of the selected item beside the page.
    pub(crate) preview: Option<(Lens, ItemRef, Doc)>,
    /// Where `e` writes reports (`ROADLENS_REPORT_DIR`; else a directory of
    /// its own in the system's temp directory).
    report_dir: Option<PathBuf>,
    pub(crate) worker: Worker,
    pub(crate) timeline: super::timeline::TimelineState,
    quit: bool,
    exit_code: u8,
}

impl App {
    /// An app on the roadmaps under `root`, with git work on threads that
    /// report on `tx`. The roadmaps load on the worker (the first frame
    /// says "loading"); history starts with [`App::start_history`].
    pub fn new(root: PathBuf, theme: Theme, mouse: bool, worker: Worker) -> App {
        let mut app = App {
            theme,
            root: root.clone(),
            worktree: vec![],
            load_error: None,
            loading: true,
            load_seq: 1,
            loads_seen: 0,
            git_dirs: vec![],
            travel: None,
            current: 0,
            tab: Tab::Exec,
            lens_tab: Tab::Exec,
            layer: 0,
            canvas: false,
            canvas_nav: Nav::default(),
            exec_nav: Nav::default(),
            sales_nav: Nav::default(),
            layer_nav: Nav::default(),
            grid: GridState::default(),
            detail: None,
            search: None,
            last_search: None,
            help: None,
            picker: None,
            present: None,
            history: History::default(),
            size: Rect::new(0, 0, 80, 24),
            mouse,
            message: None,
            preview: None,
            report_dir: std::env::var_os("ROADLENS_REPORT_DIR").map(PathBuf::from),
            worker,
            timeline: Default::default(),
            quit: false,
            exit_code: 0,
        };
        let measure = app.doc_measure();
        app.worker.submit(Job::Load {
            root,
            seq: 1,
            measure,
        });
        app
    }

    /// For tests: inline git work (run by [`App::settle`]), no colour, a
    /// fixed "today" and terminal size. History is started.
    pub fn new_for_test(root: &Path, today: Date, width: u16, height: u16) -> App {
        let worker = Worker::inline(root.to_path_buf(), today);
        let mut app = App::new(root.to_path_buf(), Theme::plain(), false, worker);
        app.size = Rect::new(0, 0, width, height);
        app.settle(); // the roadmaps
        app.start_history();
        app
    }

    /// The time-lapse request a step's answer must carry (benchmarks hand
    /// the answer in themselves).
    #[doc(hidden)]
    pub fn lapse_seq(&self) -> u64 {
        super::timeline::lapse_seq(self)
    }

    /// The terminal size the app lays out for (width, height).
    pub fn size(&self) -> (u16, u16) {
        (self.size.width, self.size.height)
    }

    /// Write reports into `dir` (as `ROADLENS_REPORT_DIR` does; `None`: a
    /// directory of its own in the system's temp directory).
    pub fn set_report_dir(&mut self, dir: Option<PathBuf>) {
        self.report_dir = dir;
    }

    /// Mouse wheel and clicks (off unless `--mouse`).
    pub fn set_mouse(&mut self, on: bool) {
        self.mouse = on;
    }

    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The exit code once quit: 0, or 128 + the signal that ended it.
    pub fn exit_code(&self) -> u8 {
        self.exit_code
    }

    /// Begin streaming the history (after the first frame).
    pub fn start_history(&mut self) {
        if !self.history.started {
            self.history.started = true;
            self.reload_history();
        }
    }

    /// Stream the history again (a commit, a checkout, `R`): the list is
    /// replaced as the new stream arrives.
    fn reload_history(&mut self) {
        if !self.history.started || self.history.no_repo.is_some() {
            return;
        }
        let stream = self.history.restart();
        self.history.generation += 1;
        self.worker.submit(Job::History { stream });
        self.notice();
    }

    /// Under the sales filter, learn in the background which entries sales
    /// notices nothing in: they are not listed, as `roadlens log --lens
    /// sales` leaves them out (a customer-facing list of internal
    /// commits); every entry is listed until then. Under the other filters
    /// every entry stays listed, so the whole history can be walked, and
    /// the diff says what the lens left out.
    fn notice(&mut self) {
        let h = &mut self.history;
        h.unnoticed.clear();
        h.notice_seq += 1;
        if let Some(lens @ Lens::Sales) = h.filter.clone()
            && h.started
            && h.no_repo.is_none()
        {
            let (stream, seq) = (h.stream, h.notice_seq);
            self.worker.submit(Job::Notice { stream, seq, lens });
        }
    }

    /// Recompute the uncommitted entries (the index or working tree changed).
    fn reload_uncommitted(&mut self) {
        self.history.generation += 1;
        // What a lens notices of them is not known any more: listed.
        self.history
            .unnoticed
            .retain(|r| !matches!(r, Rev::WorkTree | Rev::Index));
        if self.history.started && self.history.no_repo.is_none() {
            self.worker.submit(Job::Uncommitted {
                stream: self.history.stream,
            });
        }
        self.request_diff();
    }

    /// Inline mode: run queued git work until none is left. Returns
    /// whether anything changed (always false with worker threads).
    pub fn settle(&mut self) -> bool {
        let mut changed = false;
        while let Some(msgs) = self.worker.run_one() {
            for m in msgs {
                changed |= self.handle_msg(m);
            }
        }
        changed
    }

    /// The git directories to watch (known once history has started).
    pub fn git_dirs(&self) -> &[PathBuf] {
        &self.git_dirs
    }

    /// Directories to watch for live reload.
    pub fn watch_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .worktree
            .iter()
            .filter_map(|s| s.path.as_ref()?.parent().map(Path::to_path_buf))
            .collect();
        if self.root.is_dir() {
            dirs.push(self.root.clone());
        } else if let Some(p) = self.root.parent() {
            dirs.push(p.to_path_buf());
        }
        dirs.iter_mut().for_each(|d| {
            if d.as_os_str().is_empty() {
                *d = PathBuf::from(".");
            }
        });
        dirs.sort();
        dirs.dedup();
        dirs
    }

    // ------------------------------------------------------------ accessors

    /// The roadmaps shown: as of the travel revision, or the working tree.
    pub(crate) fn sources(&self) -> &[Source] {
        match &self.travel {
            Some(t) => &t.sources,
            None => &self.worktree,
        }
    }

    pub(crate) fn source(&self) -> Option<&Source> {
        self.sources().get(self.current)
    }

    pub(crate) fn views(&self) -> Option<&Views> {
        self.source()?.views.as_deref()
    }

    /// The lens a tab shows (History: none).
    pub(crate) fn tab_lens(&self, tab: Tab) -> Option<Lens> {
        Some(match tab {
            Tab::Exec => Lens::Exec,
            Tab::Sales => Lens::Sales,
            Tab::Eng => Lens::Engineering,
            Tab::Layers if self.canvas => Lens::Decisions,
            Tab::Layers => Lens::Layer(self.views()?.roadmap.layers.get(self.layer)?.id.clone()),
            Tab::History => return None,
        })
    }

    /// The page of a document tab and its navigation state.
    pub(crate) fn page(&self, tab: Tab) -> Option<(&Doc, &Nav)> {
        let v = self.views()?;
        match tab {
            Tab::Exec => Some((&v.exec_doc, &self.exec_nav)),
            Tab::Sales => Some((&v.sales_doc, &self.sales_nav)),
            Tab::Layers if self.canvas => Some((v.canvas_doc(), &self.canvas_nav)),
            Tab::Layers => Some((v.layer_doc(self.layer)?, &self.layer_nav)),
            _ => None,
        }
    }

    fn nav_mut(&mut self, tab: Tab) -> Option<&mut Nav> {
        match tab {
            Tab::Exec => Some(&mut self.exec_nav),
            Tab::Sales => Some(&mut self.sales_nav),
            Tab::Layers if self.canvas => Some(&mut self.canvas_nav),
            Tab::Layers => Some(&mut self.layer_nav),
            _ => None,
        }
    }

    /// The item under the cursor of a lens tab.
    pub(crate) fn selected_item(&self) -> Option<ItemRef> {
        if super::timeline::is_on(self) {
            return super::timeline::selected(self);
        }
        let v = self.views()?;
        match self.tab {
            Tab::Eng => grid::selected(v.eng(), v.eng_doc(), &self.grid.cursor),
            Tab::History => None,
            t => {
                let (doc, nav) = self.page(t)?;
                doc.items.get(nav.cursor).map(|a| a.target.clone())
            }
        }
    }

    /// The key-table contexts active now, most specific first.
    pub fn contexts(&self) -> Vec<Ctx> {
        if self.search.is_some() {
            return vec![Ctx::Search];
        }
        if self.timeline.picker.is_some() {
            return vec![Ctx::BaselinePicker, Ctx::Move, Ctx::Global];
        }
        if self.help.is_some() {
            return vec![Ctx::Help, Ctx::Move, Ctx::Global];
        }
        if self.picker.is_some() {
            return vec![Ctx::Picker, Ctx::Move, Ctx::Global];
        }
        if self.present.is_some() {
            return vec![Ctx::Present, Ctx::Global];
        }
        if self.detail.is_some() {
            return vec![Ctx::Detail, Ctx::Move, Ctx::Global];
        }
        let mut ctx = match self.tab {
            Tab::History if self.history.zoom => {
                vec![Ctx::DiffZoom, Ctx::History, Ctx::Move, Ctx::Global]
            }
            Tab::History => vec![Ctx::History, Ctx::Move, Ctx::Global],
            Tab::Layers => vec![Ctx::Layers, Ctx::Items, Ctx::Lens, Ctx::Move, Ctx::Global],
            // Sales shows no work items, so no dependencies.
            Tab::Sales => vec![Ctx::Lens, Ctx::Move, Ctx::Global],
            _ => vec![Ctx::Items, Ctx::Lens, Ctx::Move, Ctx::Global],
        };
        if super::timeline::is_on(self) {
            ctx.insert(0, Ctx::Timeline);
        }
        ctx
    }

    fn main_area(&self) -> Rect {
        areas(self.size).main
    }

    // --------------------------------------------------------------- events

    /// Any terminal event. Returns whether the screen must be redrawn.
    pub fn handle_event(&mut self, ev: Event) -> bool {
        let changed = self.event(ev);
        if changed {
            self.refresh_preview();
        }
        changed
    }

    fn event(&mut self, ev: Event) -> bool {
        match ev {
            Event::Key(k) => self.key(k),
            Event::Resize(w, h) => {
                // A detail read to its end stays at its end.
                let height = |app: &App| app.main_area().height as usize;
                let at_end = self
                    .detail
                    .as_ref()
                    .is_some_and(|d| d.scroll + height(self) >= d.doc.lines.len());
                self.size = Rect::new(0, 0, w, h);
                self.remeasure();
                let h = height(self);
                if at_end && let Some(d) = &mut self.detail {
                    d.scroll = d.doc.lines.len().saturating_sub(h);
                }
                // The story map scrolls again from its top-left for the new
                // size (a scroll kept from a smaller screen left a release
                // cut in half at the top and a column hidden that fits).
                self.grid.scroll = 0;
                self.grid.col_scroll = 0;
                if let Some(p) = self.present {
                    self.present = Some(super::present::clamp(self, p));
                }
                self.follow();
                true
            }
            Event::Mouse(m) if self.mouse => self.handle_mouse(m),
            _ => false,
        }
    }

    /// One key, through the key table. Returns whether anything changed.
    pub fn handle_key(&mut self, ev: KeyEvent) -> bool {
        let changed = self.key(ev);
        if changed {
            self.refresh_preview();
        }
        changed
    }

    fn key(&mut self, ev: KeyEvent) -> bool {
        if ev.kind == KeyEventKind::Release {
            return false;
        }
        let had_message = self.message.take().is_some();
        let contexts = self.contexts();
        // Behind "Terminal too small" nothing is seen to change: only quit
        // (and Ctrl-C, handled by the event loop) act there.
        let too_small = self.too_small();
        if let Some(b) = keys::lookup(&ev, &contexts) {
            if too_small && b.action != Action::Quit {
                return had_message;
            }
            return self.update(b.action) || had_message;
        }
        if too_small {
            return had_message;
        }
        if let (Some(s), ratatui::crossterm::event::KeyCode::Char(c)) = (&mut self.search, ev.code)
            && !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            s.push(c);
            return true;
        }
        had_message
    }

    /// A message from the event loop's channel. Returns whether the screen
    /// must be redrawn.
    pub fn handle_msg(&mut self, msg: Msg) -> bool {
        let changed = self.msg(msg);
        if changed {
            self.refresh_preview();
        }
        changed
    }

    /// Wide screens show the selected item's detail beside the page; it is
    /// computed here, when the selection changes, not while drawing.
    fn refresh_preview(&mut self) {
        super::timeline::refresh(self, self.loads_seen);
        // (A timeline is drawn without the preview: none is worked out.)
        let wanted = if self.size.width >= 120
            && self.detail.is_none()
            && !matches!(self.tab, Tab::History | Tab::Eng)
            && !super::timeline::is_on(self)
        {
            self.tab_lens(self.tab).zip(self.selected_item())
        } else {
            None
        };
        let Some((lens, item)) = wanted else {
            self.preview = None;
            return;
        };
        if self
            .preview
            .as_ref()
            .is_some_and(|(l, i, _)| *l == lens && *i == item)
        {
            return;
        }
        self.preview = self
            .source()
            .and_then(|s| s.roadmap())
            .and_then(|r| lens::detail(r, &lens, &item))
            .map(|d| {
                let doc = detail_doc(&d, &LedgerState::None, self.preview_measure());
                (lens, item, doc)
            });
    }

    fn msg(&mut self, msg: Msg) -> bool {
        match msg {
            msg @ (Msg::Baseline(_) | Msg::Lapse(..) | Msg::Tags(_) | Msg::Tick) => {
                super::timeline::msg(self, msg)
            }
            Msg::Input(ev) => self.event(ev),
            Msg::Quit => {
                self.quit = true;
                true
            }
            Msg::Signal(sig) => {
                self.quit = true;
                self.exit_code = 128u8.saturating_add(u8::try_from(sig).unwrap_or(0));
                true
            }
            Msg::FsChanged => {
                self.reload();
                true
            }
            Msg::IndexChanged => {
                self.reload_uncommitted();
                true
            }
            Msg::RefsChanged => {
                self.reload_history();
                true
            }
            Msg::GitDirs(dirs) => {
                self.git_dirs = dirs;
                false
            }
            Msg::Loaded {
                seq,
                sources,
                error,
            } => {
                if seq != self.load_seq {
                    return false;
                }
                self.loaded(sources, error);
                true
            }
            Msg::NoRepo(e) => {
                self.history.no_repo = Some(e);
                self.history.loading = false;
                true
            }
            Msg::History {
                stream,
                uncommitted,
                entries,
            } => {
                if !self.history.receive(stream, uncommitted, entries) {
                    return false;
                }
                self.request_diff();
                true
            }
            Msg::HistoryDone(stream, err) => {
                if stream != self.history.stream {
                    return false;
                }
                self.history.loading = false;
                self.history.error = err;
                self.history.drop_unlisted_base();
                // The whole list is known: a diff that looked back for a
                // version that parses may find one now.
                self.history.forget_unparseable();
                self.request_diff();
                true
            }
            Msg::Diff(key, result) => {
                self.history.store(key, result);
                true
            }
            Msg::Ledger(item, result) => {
                let Some(d) = &mut self.detail else {
                    return false;
                };
                if d.target != item || d.deps {
                    return false;
                }
                d.ledger = match result {
                    Ok(l) if l.is_empty() => LedgerState::None,
                    Ok(l) => LedgerState::Ready(l),
                    Err(e) => LedgerState::Failed(e),
                };
                d.doc = detail_doc(
                    &d.detail,
                    &d.ledger,
                    measure_for(areas(self.size).main.width),
                );
                true
            }
            Msg::Report(result) => {
                self.message = Some(match result {
                    Ok(path) => format!("report written: {}", path.display()),
                    Err(e) => format!("cannot write the report: {e}"),
                });
                true
            }
            Msg::Unnoticed(seq, revs) => {
                if seq != self.history.notice_seq {
                    return false;
                }
                if self.history.hide(revs) {
                    self.follow();
                    self.request_diff();
                }
                true
            }
            Msg::Opened(result) => {
                match result {
                    Ok(o) => {
                        let label = self.history.rev_label_as(&o.rev, None);
                        let sales_label = self.history.rev_label_as(&o.rev, Some(&Lens::Sales));
                        self.current = o.select.unwrap_or(0);
                        self.travel = Some(Travel {
                            label,
                            sales_label,
                            rev: o.rev,
                            sources: o.sources,
                        });
                        self.remeasure();
                        self.reset_views();
                        self.tab = self.lens_tab;
                        self.message = Some("time travel: O returns to the working tree".into());
                    }
                    Err(e) => self.message = Some(format!("cannot open revision: {}", clean(&e))),
                }
                true
            }
        }
    }

    /// The measure of a page drawn in the main area (a list, a detail).
    fn doc_measure(&self) -> usize {
        measure_for(areas(self.size).main.width)
    }

    /// The measure of the preview beside a list on a wide screen.
    fn preview_measure(&self) -> usize {
        let w = areas(self.size).main.width;
        measure_for(w.saturating_sub(list_width(w) + 2))
    }

    /// Lay the pages out for the screen's width (a resize; a load laid out
    /// for a width the screen no longer has): every
    /// roadmap's pages, the open detail, the preview.
    fn remeasure(&mut self) {
        let m = self.doc_measure();
        let travel = self.travel.iter_mut().flat_map(|t| &mut t.sources);
        for v in self
            .worktree
            .iter_mut()
            .chain(travel)
            .filter_map(|s| s.views.as_mut())
        {
            v.remeasure(m);
        }
        if let Some(mut d) = self.detail.take() {
            if d.doc.measure != m {
                let fresh = if d.deps {
                    let lens = self.tab_lens(self.tab);
                    let r = self.source().and_then(|s| s.roadmap());
                    lens.zip(r).and_then(|(l, r)| deps_doc(r, &l, &d.target, m))
                } else {
                    Some(detail_doc(&d.detail, &d.ledger, m))
                };
                if let Some(doc) = fresh {
                    // The same part of the page stays in view: the scroll
                    // moves with the lines' new count.
                    let (was, now) = (d.doc.lines.len().max(1), doc.lines.len());
                    d.scroll = d.scroll.saturating_mul(now) / was;
                    d.doc = doc;
                }
            }
            self.detail = Some(d);
        }
        if self
            .preview
            .as_ref()
            .is_some_and(|(_, _, d)| d.measure != self.preview_measure())
        {
            self.preview = None;
        }
    }

    /// The screen only says "Terminal too small".
    fn too_small(&self) -> bool {
        self.size.width < MIN_WIDTH || self.size.height < MIN_HEIGHT
    }

    fn handle_mouse(&mut self, m: MouseEvent) -> bool {
        // Behind "Terminal too small" nothing is seen: nothing moves.
        if self.too_small() {
            return false;
        }
        match m.kind {
            MouseEventKind::ScrollDown => {
                (0..3).for_each(|_| {
                    self.update(Action::Down);
                });
                true
            }
            MouseEventKind::ScrollUp => {
                (0..3).for_each(|_| {
                    self.update(Action::Up);
                });
                true
            }
            MouseEventKind::Down(MouseButton::Left) => self.click(m.column, m.row),
            _ => false,
        }
    }

    fn click(&mut self, x: u16, y: u16) -> bool {
        if self.present.is_some() || self.search.is_some() || self.help.is_some() {
            return false;
        }
        let a = areas(self.size);
        if a.tabs.contains(Position::new(x, y)) {
            if let Some(i) = super::draw::tab_at(x - a.tabs.x, a.tabs.width) {
                return self.update(Action::Tab(i as u8));
            }
            return false;
        }
        if !a.main.contains(Position::new(x, y)) || self.detail.is_some() {
            return false;
        }
        let row = (y - a.main.y) as usize;
        match self.tab {
            Tab::History => {
                if let Some(i) = super::history::hit(&self.history, a.main, x, y) {
                    self.history.select(i);
                    self.request_diff();
                    return true;
                }
                false
            }
            Tab::Eng => {
                let Some(v) = self.views() else { return false };
                let hit = grid::hit(v.eng(), v.eng_doc(), &self.grid, a.main, x, y);
                if let Some(c) = hit {
                    self.grid.cursor = c;
                    self.follow();
                    return true;
                }
                false
            }
            t => {
                let Some((doc, nav)) = self.page(t) else {
                    return false;
                };
                let scroll = doc.scroll_for(Some(nav.cursor), nav.scroll, a.main.height as usize);
                let item = doc.lines.get(scroll + row).and_then(|l| l.item);
                if let (Some(i), Some(nav)) = (item, self.nav_mut(t)) {
                    nav.cursor = i;
                    nav.scroll = scroll;
                    return true;
                }
                false
            }
        }
    }

    // --------------------------------------------------------------- update

    /// Apply one action. Returns whether anything changed.
    pub fn update(&mut self, action: Action) -> bool {
        use Action as A;
        match action {
            A::Quit => {
                self.quit = true;
                return true;
            }
            A::Help => {
                self.help = Some(0);
                return true;
            }
            A::Picker => {
                if self.sources().len() < 2 {
                    self.message = Some(if self.sources().is_empty() {
                        "no roadmap here to pick".into()
                    } else {
                        "only one roadmap here".into()
                    });
                } else {
                    self.picker = Some(self.current);
                }
                return true;
            }
            A::Tab(i) => {
                self.switch_tab(Tab::ALL[(i as usize).min(4)]);
                return true;
            }
            A::NextTab => {
                self.switch_tab(Tab::ALL[(self.tab.index() + 1) % 5]);
                return true;
            }
            A::PrevTab => {
                self.switch_tab(Tab::ALL[(self.tab.index() + 4) % 5]);
                return true;
            }
            A::Reload => {
                self.reload();
                self.reload_history();
                self.message = Some("reloading the roadmaps and their history…".into());
                return true;
            }
            A::WorkingTree => {
                if self.travel.take().is_some() {
                    self.current = 0;
                    self.reset_views();
                    self.message = Some("back to the working tree".into());
                }
                return true;
            }
            _ => {}
        }
        if let Some(changed) = super::timeline::update(self, action) {
            return changed;
        }
        if self.search.is_some() {
            return self.update_search(action);
        }
        if let Some(scroll) = self.help {
            self.help = match action {
                A::Back => None,
                A::Down => Some(scroll + 1),
                A::Up => Some(scroll.saturating_sub(1)),
                A::PageDown => Some(scroll + 10),
                A::PageUp => Some(scroll.saturating_sub(10)),
                A::Top => Some(0),
                A::Bottom => Some(usize::MAX / 2),
                _ => Some(scroll),
            };
            if let Some(s) = self.help.as_mut() {
                // (The help box is the main area inside its border.) Never
                // past its last full page.
                let main = areas(self.size).main;
                let width = main.width.saturating_sub(2);
                let rows = main.height.saturating_sub(2) as usize;
                let n = super::draw::help_lines(&self.theme, width).len();
                *s = (*s).min(n.saturating_sub(rows.max(1)));
            }
            return true;
        }
        if let Some(sel) = self.picker {
            let n = self.sources().len();
            match action {
                A::Back => self.picker = None,
                A::Down => self.picker = Some((sel + 1).min(n.saturating_sub(1))),
                A::Up => self.picker = Some(sel.saturating_sub(1)),
                A::Top => self.picker = Some(0),
                A::Bottom => self.picker = Some(n.saturating_sub(1)),
                A::Open => {
                    self.picker = None;
                    self.current = sel.min(n.saturating_sub(1));
                    self.reset_views();
                }
                _ => {}
            }
            return true;
        }
        if let Some(pos) = self.present {
            match action {
                A::Back => self.present = None,
                A::PresentNext => self.present = Some(super::present::next(self, pos)),
                A::PresentPrev => self.present = Some(super::present::prev(self, pos)),
                _ => {}
            }
            return true;
        }
        if self.detail.is_some() {
            return self.update_detail(action);
        }
        match self.tab {
            Tab::History => self.update_history(action),
            Tab::Eng => self.update_grid(action),
            tab => self.update_page(tab, action),
        }
    }

    fn switch_tab(&mut self, tab: Tab) {
        if tab == Tab::History && self.tab != Tab::History {
            self.lens_tab = self.tab;
            self.history.filter = self.tab_lens(self.tab);
            self.notice();
            self.request_diff();
        }
        self.tab = tab;
        self.detail = None;
        if self.present.is_some() {
            if tab == Tab::History {
                self.present = None;
            } else {
                self.start_presenting();
            }
        }
        self.follow();
    }

    /// A presentation from its first page (its timeline page's too).
    fn start_presenting(&mut self) {
        self.present = Some(Default::default());
        self.timeline.present_top = 0;
    }

    /// Common to the lens tabs.
    fn update_lens(&mut self, action: Action) -> bool {
        match action {
            Action::Open => {
                if let Some(item) = self.selected_item() {
                    self.open_detail(item);
                }
                true
            }
            Action::Search => {
                self.open_search();
                true
            }
            Action::SearchNext | Action::SearchPrev => {
                let step = if action == Action::SearchNext { 1 } else { -1 };
                match self.last_search.as_mut().map(|s| s.step(step)) {
                    Some(Some(target)) => self.jump(&target),
                    Some(None) => self.message = Some("the last search found nothing".into()),
                    None => self.message = Some("no search: press / first".into()),
                }
                true
            }
            Action::Present => {
                if self.views().is_some() {
                    self.start_presenting();
                }
                true
            }
            Action::Deps if self.tab != Tab::Sales => {
                match self.selected_item() {
                    Some(item) => self.open_deps(item),
                    None => self.message = Some("nothing selected".into()),
                }
                true
            }
            Action::Report => {
                self.write_report(self.tab_lens(self.tab));
                true
            }
            _ => false,
        }
    }

    /// The dependency chains of `target` (features and work items), as a
    /// page like a detail (Esc goes back).
    fn open_deps(&mut self, target: ItemRef) {
        let Some(lens) = self.tab_lens(self.tab) else {
            return;
        };
        let Some(r) = self.source().and_then(|s| s.roadmap()) else {
            return;
        };
        let Some(doc) = deps_doc(r, &lens, &target, self.doc_measure()) else {
            self.message = Some(format!(
                "dependencies are shown for features and work items, not for a {}",
                target.entity
            ));
            return;
        };
        let Some(detail) = lens::detail(r, &lens, &target) else {
            return;
        };
        self.detail = Some(DetailState {
            target,
            deps: true,
            detail,
            ledger: LedgerState::None,
            doc,
            scroll: 0,
        });
    }

    /// Write the report of `lens` — the roadmap shown (as of the time-travel
    /// revision, else the working tree), with what changed since the base
    /// marked in History — on the worker; its path comes back as a message.
    fn write_report(&mut self, lens: Option<Lens>) {
        let Some(lens) = lens else {
            self.message = Some("no lens to report here".into());
            return;
        };
        let Some(src) = self.source() else {
            self.message = Some("no roadmap to report".into());
            return;
        };
        let Some(roadmap) = src.roadmap() else {
            self.message = Some("cannot write a report: the roadmap has errors".into());
            return;
        };
        let job = super::worker::ReportJob {
            roadmap: roadmap.clone(),
            lens,
            disk: src.path.clone(),
            display: src.display.clone(),
            at: self.travel.as_ref().map(|t| t.rev.clone()),
            base: self.history.base.clone(),
            dir: self.report_dir.clone(),
        };
        self.message = Some("writing the report…".into());
        self.worker.submit(Job::Report(Box::new(job)));
    }

    fn update_page(&mut self, tab: Tab, action: Action) -> bool {
        if self.update_lens(action) {
            return true;
        }
        match action {
            Action::Canvas if tab == Tab::Layers => {
                self.canvas = !self.canvas;
                self.follow();
                return true;
            }
            Action::PrevLayer | Action::NextLayer | Action::Left | Action::Right | Action::Back
                if tab == Tab::Layers && self.canvas =>
            {
                // Back to the layer pages.
                self.canvas = false;
                self.follow();
                return true;
            }
            Action::PrevLayer | Action::NextLayer | Action::Left | Action::Right
                if tab == Tab::Layers =>
            {
                let n = self.views().map(|v| v.layer_count()).unwrap_or(0);
                if n > 0 {
                    let fwd = matches!(action, Action::NextLayer | Action::Right);
                    self.layer = if fwd {
                        (self.layer + 1) % n
                    } else {
                        (self.layer + n - 1) % n
                    };
                    self.layer_nav = Nav::default();
                }
                return true;
            }
            _ => {}
        }
        let height = self.main_area().height as usize;
        let Some((doc, _)) = self.page(tab) else {
            return false;
        };
        let n = doc.items.len();
        if n == 0 {
            return false;
        }
        let per_page = {
            // Items in a screenful, roughly: lines per item on average.
            let avg = (doc.lines.len() / n).max(1);
            (height / avg).max(1)
        };
        let Some(nav) = self.nav_mut(tab) else {
            return false;
        };
        let c = nav.cursor;
        nav.cursor = match action {
            Action::Down => (c + 1).min(n - 1),
            Action::Up => c.saturating_sub(1),
            Action::PageDown => (c + per_page).min(n - 1),
            Action::PageUp => c.saturating_sub(per_page),
            Action::Top => 0,
            Action::Bottom => n - 1,
            _ => return false,
        };
        if action == Action::Top {
            nav.scroll = 0;
        }
        self.follow();
        true
    }

    fn update_grid(&mut self, action: Action) -> bool {
        if self.update_lens(action) {
            return true;
        }
        let Some(v) = self.views() else { return false };
        let mut c = self.grid.cursor;
        match action {
            Action::Down => grid::step(v.eng(), v.eng_doc(), &mut c, 0, 1),
            Action::Up => grid::step(v.eng(), v.eng_doc(), &mut c, 0, -1),
            Action::Left => grid::step(v.eng(), v.eng_doc(), &mut c, -1, 0),
            Action::Right => grid::step(v.eng(), v.eng_doc(), &mut c, 1, 0),
            Action::PageDown => grid::step_rows(v.eng(), v.eng_doc(), &mut c, 1),
            Action::PageUp => grid::step_rows(v.eng(), v.eng_doc(), &mut c, -1),
            Action::Top => c = grid::GridCursor::default(),
            Action::Bottom => grid::step_rows(v.eng(), v.eng_doc(), &mut c, i32::MAX / 2),
            _ => return false,
        }
        self.grid.cursor = c;
        self.follow();
        true
    }

    fn update_detail(&mut self, action: Action) -> bool {
        let height = self.main_area().height as usize;
        let Some(d) = &mut self.detail else {
            return false;
        };
        let max = d
            .doc
            .lines
            .len()
            .saturating_sub(height.saturating_sub(1).max(1));
        d.scroll = match action {
            Action::Back => {
                self.detail = None;
                return true;
            }
            Action::Down => d.scroll + 1,
            Action::Up => d.scroll.saturating_sub(1),
            Action::PageDown => d.scroll + height.max(2) - 1,
            Action::PageUp => d.scroll.saturating_sub(height.max(2) - 1),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return false,
        }
        .min(max);
        true
    }

    fn update_history(&mut self, action: Action) -> bool {
        let h = &mut self.history;
        let n = h.entries.len();
        match action {
            // The full-size diff is read: the keys that move scroll it.
            Action::Down if h.zoom => h.diff_scroll = (h.diff_scroll + 1).min(h.diff_max.get()),
            Action::Up if h.zoom => h.diff_scroll = h.diff_scroll.saturating_sub(1),
            Action::Top if h.zoom => h.diff_scroll = 0,
            Action::Bottom if h.zoom => h.diff_scroll = h.diff_max.get(),
            Action::Down | Action::Up | Action::Top | Action::Bottom => {
                if n == 0 {
                    return false;
                }
                // Through the entries listed (the filter's lens leaves out
                // those it notices nothing in).
                let step = match action {
                    Action::Down => 1,
                    Action::Up => -1,
                    Action::Top => -(n as isize),
                    _ => n as isize,
                };
                let Some(to) = h.step(step) else {
                    return false;
                };
                h.select(to);
                self.follow();
                self.request_diff();
            }
            Action::PageDown => h.diff_scroll = (h.diff_scroll + 10).min(h.diff_max.get()),
            Action::PageUp => h.diff_scroll = h.diff_scroll.saturating_sub(10),
            Action::MarkBase => {
                let Some(e) = h.entries.get(h.selected) else {
                    return false;
                };
                if h.base.as_ref() == Some(&e.rev) {
                    h.base = None;
                } else {
                    h.base = Some(e.rev.clone());
                }
                h.diff_scroll = 0;
                self.request_diff();
            }
            Action::CycleFilter => {
                let lenses = self
                    .source()
                    .and_then(|s| s.roadmap())
                    .map(lens::lenses)
                    .unwrap_or_else(|| vec![Lens::Exec, Lens::Sales, Lens::Engineering]);
                let h = &mut self.history;
                let pos = h
                    .filter
                    .as_ref()
                    .and_then(|f| lenses.iter().position(|l| l == f));
                h.filter = match pos {
                    None => lenses.first().cloned(),
                    Some(i) => lenses.get(i + 1).cloned(),
                };
                h.diff_scroll = 0;
                self.notice();
                self.follow();
                self.request_diff();
            }
            Action::ToggleRaw => {
                h.raw = !h.raw;
                h.diff_scroll = 0;
            }
            Action::Open => h.zoom = true,
            Action::Back => h.zoom = false,
            Action::Report => {
                let lens = h.filter.clone().or_else(|| self.tab_lens(self.lens_tab));
                self.write_report(lens);
            }
            Action::TimeTravel => {
                let Some(e) = h.entries.get(h.selected) else {
                    return false;
                };
                if e.rev == Rev::WorkTree {
                    self.travel = None;
                    self.reset_views();
                    self.tab = self.lens_tab;
                } else {
                    let shown = self.worktree.get(self.current);
                    let current = shown.and_then(|s| s.path.clone());
                    let current_id = shown.and_then(|s| s.roadmap()).map(|r| r.meta.id.clone());
                    let rev = e.rev.clone();
                    self.message = Some(format!("opening {}…", rev.label()));
                    let measure = self.doc_measure();
                    self.worker.submit(Job::Open {
                        rev,
                        current,
                        current_id,
                        measure,
                    });
                }
            }
            _ => return false,
        }
        true
    }

    // --------------------------------------------------------------- search

    fn open_search(&mut self) {
        let Some(lens) = self.tab_lens(self.tab) else {
            return;
        };
        let Some(view) = self.views().and_then(|v| v.lens_view(&lens)) else {
            return;
        };
        let items = lens::search_items(&view);
        self.search = Some(Search::new(items));
    }

    fn update_search(&mut self, action: Action) -> bool {
        let Some(s) = &mut self.search else {
            return false;
        };
        match action {
            Action::SearchCancel => self.search = None,
            Action::SearchDelete => s.pop(),
            Action::Down => s.move_by(1),
            Action::Up => s.move_by(-1),
            Action::SearchAccept => {
                let target = s.current();
                self.last_search = self.search.take();
                if let Some(t) = target {
                    self.jump(&t);
                }
            }
            _ => return false,
        }
        true
    }

    /// Put the cursor on `target` in the current tab, or open its detail
    /// when the page does not list it.
    pub(crate) fn jump(&mut self, target: &ItemRef) {
        // A timeline jumps to the item's row.
        if super::timeline::is_on(self) {
            if !super::timeline::select(self, target) {
                self.open_detail(target.clone());
            }
            return;
        }
        let tab = self.tab;
        let found = match tab {
            Tab::Eng => {
                let hit = self
                    .views()
                    .and_then(|v| grid::locate(v.eng(), v.eng_doc(), target));
                if let Some(c) = hit {
                    self.grid.cursor = c;
                }
                hit.is_some()
            }
            Tab::History => false,
            t => {
                let i = self.page(t).and_then(|(d, _)| d.find(target));
                match (i, self.nav_mut(t)) {
                    (Some(i), Some(nav)) => {
                        nav.cursor = i;
                        true
                    }
                    _ => false,
                }
            }
        };
        if found {
            self.follow();
        } else {
            self.open_detail(target.clone());
        }
    }

    // --------------------------------------------------------------- detail

    fn open_detail(&mut self, target: ItemRef) {
        let Some(lens) = self.tab_lens(self.tab) else {
            return;
        };
        // The version on screen: a time-lapse step's, else the current.
        let stepped = super::timeline::stepped(self);
        let Some(r) = super::timeline::shown_roadmap(self) else {
            return;
        };
        let Some(detail) = lens::detail(r, &lens, &target) else {
            self.message = Some("this lens shows nothing more about it".into());
            return;
        };
        // Every entity has its history, told as the lens tells it (as
        // `roadlens log --entity ID --lens L`).
        let path = self.source().and_then(|s| s.path.clone());
        let ledger = match (&path, &self.history.no_repo) {
            _ if let Some(step) = stepped => LedgerState::Stepped(step),
            (Some(p), None) => {
                self.worker.submit(Job::Ledger {
                    item: target.clone(),
                    path: p.clone(),
                    lens: Some(lens.clone()),
                });
                LedgerState::Loading
            }
            _ => LedgerState::None,
        };
        let doc = detail_doc(&detail, &ledger, self.doc_measure());
        self.detail = Some(DetailState {
            target,
            deps: false,
            detail,
            ledger,
            doc,
            scroll: 0,
        });
    }

    // -------------------------------------------------------------- history

    /// Ask for the diff the History tab should show, unless known.
    fn request_diff(&mut self) {
        if let Some(key) = self.history.wanted()
            && self.history.needs(&key)
            && let Some((key, what)) = self.history.request()
        {
            self.history.pending = Some(key.clone());
            self.worker.submit(Job::Diff { key, what });
        }
    }

    // --------------------------------------------------------------- reload

    /// Re-read the working tree (live reload) on the worker; the
    /// uncommitted entries follow.
    fn reload(&mut self) {
        self.load_seq += 1;
        self.worker.submit(Job::Load {
            root: self.root.clone(),
            seq: self.load_seq,
            measure: self.doc_measure(),
        });
        self.reload_uncommitted();
    }

    /// The roadmaps read from disk: shown, keeping what is selected.
    fn loaded(&mut self, sources: Vec<super::views::Source>, err: Option<String>) {
        self.loading = false;
        self.loads_seen += 1;
        let keep_path = self.worktree.get(self.current).map(|s| s.display.clone());
        let on_page = |t: Tab| {
            self.page(t)
                .and_then(|(d, n)| d.items.get(n.cursor))
                .map(|a| a.target.clone())
        };
        // The story map and layer pages are projected lazily: only the one
        // on screen is put back where it was.
        let kept = [
            on_page(Tab::Exec),
            on_page(Tab::Sales),
            (self.tab == Tab::Layers)
                .then(|| on_page(Tab::Layers))
                .flatten(),
            (self.tab == Tab::Eng)
                .then(|| self.selected_item())
                .flatten(),
        ];
        self.worktree = sources;
        self.remeasure();
        self.preview = None;
        self.load_error = err;
        if self.travel.is_none() {
            self.current = keep_path
                .and_then(|p| self.worktree.iter().position(|s| s.display == p))
                .unwrap_or(0);
            self.restore_cursors(kept);
            // An open detail (or dependency page) follows the file.
            if let Some(d) = self.detail.take() {
                let measure = self.doc_measure();
                let lens = self.tab_lens(self.tab);
                let r = self.source().and_then(|s| s.roadmap());
                let (doc, fresh) = match (r, &lens) {
                    (Some(r), Some(l)) => {
                        let doc = if d.deps {
                            deps_doc(r, l, &d.target, measure)
                        } else {
                            None
                        };
                        (doc, lens::detail(r, l, &d.target))
                    }
                    _ => (None, None),
                };
                if let Some(detail) = fresh {
                    let doc = match doc {
                        Some(doc) => Some(doc),
                        None if d.deps => None,
                        None => Some(detail_doc(&detail, &d.ledger, measure)),
                    };
                    if let Some(doc) = doc {
                        self.detail = Some(DetailState { detail, doc, ..d });
                    }
                }
            }
            self.follow();
        }
    }

    /// After the sources changed wholesale (time travel, picker).
    fn reset_views(&mut self) {
        self.preview = None;
        self.exec_nav = Nav::default();
        self.sales_nav = Nav::default();
        self.layer_nav = Nav::default();
        self.canvas_nav = Nav::default();
        self.grid = GridState::default();
        self.detail = None;
        self.present = None;
        self.last_search = None;
        self.restore_cursors([None, None, None, None]);
    }

    /// Put the cursors of the Executive, Sales, Layers and Engineering tabs
    /// on these items when the pages still show them, else keep them inside
    /// the pages. Pages not yet projected start at the top.
    fn restore_cursors(&mut self, [exec, sales, layer, eng]: [Option<ItemRef>; 4]) {
        if self.current >= self.sources().len() {
            self.current = 0;
        }
        let on_layers = self.tab == Tab::Layers;
        let on_eng = self.tab == Tab::Eng;
        // Borrow the sources field by field, so the cursors stay assignable.
        let sources = match &self.travel {
            Some(t) => &t.sources,
            None => &self.worktree,
        };
        let Some(v) = sources.get(self.current).and_then(|s| s.views.as_deref()) else {
            return;
        };
        let place = |doc: Option<&Doc>, target: Option<ItemRef>, cur: usize| -> usize {
            let Some(doc) = doc else { return 0 };
            target
                .and_then(|t| doc.find(&t))
                .unwrap_or(cur.min(doc.items.len().saturating_sub(1)))
        };
        if self.layer >= v.layer_count() {
            self.layer = 0;
        }
        self.exec_nav.cursor = place(Some(&v.exec_doc), exec, self.exec_nav.cursor);
        self.sales_nav.cursor = place(Some(&v.sales_doc), sales, self.sales_nav.cursor);
        if on_layers && self.canvas {
            let doc = Some(v.canvas_doc());
            self.canvas_nav.cursor = place(doc, layer, self.canvas_nav.cursor);
        } else if on_layers {
            self.layer_nav.cursor = place(v.layer_doc(self.layer), layer, self.layer_nav.cursor);
        } else {
            self.layer_nav = Nav::default();
        }
        if on_eng {
            let (e, doc) = (v.eng(), v.eng_doc());
            match eng.and_then(|t| grid::locate(e, doc, &t)) {
                Some(c) => self.grid.cursor = c,
                None => grid::clamp(e, doc, &mut self.grid.cursor),
            }
        } else {
            self.grid = GridState::default();
        }
        if let Some(p) = self.present {
            self.present = Some(super::present::clamp(self, p));
        }
    }

    /// Scroll so the cursor of the current tab is visible.
    fn follow(&mut self) {
        let main = self.main_area();
        let h = main.height as usize;
        match self.tab {
            Tab::Eng => {
                if let Some(v) = self.source().and_then(|s| s.views.as_deref()) {
                    let mut g = self.grid;
                    grid::follow(v.eng(), v.eng_doc(), &mut g, main);
                    self.grid = g;
                }
            }
            Tab::History => super::history::follow(&mut self.history, main),
            t => {
                let s = self
                    .page(t)
                    .map(|(d, n)| d.scroll_for(Some(n.cursor), n.scroll, h));
                if let (Some(s), Some(nav)) = (s, self.nav_mut(t)) {
                    nav.scroll = s;
                }
            }
        }
    }
}

/// The dependency chains of a feature or work item as a page: the item,
/// then what it depends on and what depends on it, as trees across layers
/// (`None` for other items). In the executive lens a feature's chains are
/// of features, as `roadlens deps --lens exec` prints them.
pub fn deps_doc(
    r: &crate::model::Roadmap,
    lens: &Lens,
    target: &ItemRef,
    measure: usize,
) -> Option<Doc> {
    use crate::model::EntityKind;
    if !matches!(target.entity, EntityKind::Feature | EntityKind::Work) || *lens == Lens::Sales {
        return None;
    }
    let s = crate::plan::schedule(r);
    let features_only = *lens == Lens::Exec && target.entity == EntityKind::Feature;
    let c = crate::plan::chains(r, &s, &target.id, features_only)?;
    let mut doc = Doc::new(measure);
    let mut head = vec![("Dependencies of".to_string(), Role::Dim)];
    head.extend(crate::vocab::glue_facts(crate::vocab::dep_node(
        &c.item, true,
    )));
    head[1].0.insert(0, ' ');
    doc.styled(0, 4, &head);
    if let Some(d) = c.item.slack_days {
        let t = if d < 0 {
            format!(
                "{} late for its release's target",
                crate::vocab::duration(d)
            )
        } else {
            format!("slack {}", crate::vocab::duration(d))
        };
        doc.line(vec![(format!("  {t}"), Role::Dim)]);
    }
    for (title, trees, none) in [
        (
            "UPSTREAM: what it depends on",
            &c.upstream,
            "  depends on nothing",
        ),
        (
            "DOWNSTREAM: what depends on it",
            &c.downstream,
            "  nothing depends on it",
        ),
    ] {
        doc.heading(title);
        if trees.is_empty() {
            doc.line(vec![(none.into(), Role::Dim)]);
        }
        for l in crate::vocab::dep_tree(trees, measure + 6) {
            let mut line = vec![("  ".to_string(), Role::Plain)];
            line.extend(l);
            doc.line(line);
        }
    }
    doc.blank();
    doc.line(vec![(
        format!(
            "{} on a critical path · (cross-layer) an edge between layers",
            crate::vocab::CRITICAL
        ),
        Role::Dim,
    )]);
    Some(doc)
}

/// The detail page: fields, sections, and the slip ledger.
pub fn detail_doc(d: &Detail, ledger: &LedgerState, measure: usize) -> Doc {
    let mut doc = Doc::new(measure);
    // Wrapped: a long title was cut at the pane's edge, and the sales
    // detail (no id field) never showed it whole.
    let entity = d.target.entity.to_string();
    doc.styled(
        0,
        entity.len() + 1,
        &[
            (format!("{entity} "), Role::Dim),
            (clean(&d.title), Role::Title),
        ],
    );
    doc.blank();
    // Keys line up in a column; a key too long for it gets its own line.
    const KEY_MAX: usize = 18;
    let width = |k: &str| unicode_width::UnicodeWidthStr::width(clean(k).as_str());
    let kw = d
        .fields
        .iter()
        .map(|(k, _)| width(k))
        .filter(|w| *w <= KEY_MAX)
        .max()
        .unwrap_or(0);
    let measure = measure.saturating_sub(kw + 2).max(12);
    for (k, v) in &d.fields {
        let key = clean(k);
        let mut lines = super::doc::wrap(&crate::text::sanitize(v), measure).into_iter();
        if width(k) > kw {
            doc.line(vec![(key, Role::Dim)]);
        } else if let Some(first) = lines.next() {
            doc.line(vec![
                (format!("{key:<kw$}  "), Role::Dim),
                (first, Role::Plain),
            ]);
        }
        for l in lines {
            doc.line(vec![(" ".repeat(kw + 2), Role::Dim), (l, Role::Plain)]);
        }
    }
    for (title, items) in &d.sections {
        doc.heading(&clean(title));
        if items.is_empty() {
            doc.line(vec![("  (none)".into(), Role::Dim)]);
        }
        for i in items {
            doc.styled(2, 4, &[("• ".into(), Role::Dim), (clean(i), Role::Plain)]);
        }
    }
    // The same lines, in the same words, as `roadlens log --entity ID`.
    match ledger {
        LedgerState::None => {}
        LedgerState::Stepped(step) => {
            doc.heading("History");
            doc.line(vec![(
                format!(
                    "  as of {} (time-lapse): back to now (>) for its history",
                    clean(step)
                ),
                Role::Dim,
            )]);
        }
        LedgerState::Loading => {
            doc.heading("History");
            doc.line(vec![("  reading history…".into(), Role::Dim)]);
        }
        LedgerState::Ready(lines) => {
            doc.heading("History");
            for l in lines {
                let (indent, role) = match l.kind {
                    LineKind::Revision => ("  ", Role::Dim),
                    LineKind::Change(k) => ("      ", Role::Change(k)),
                    LineKind::Target => ("  ", Role::Title),
                };
                // Wrapped under itself at the page's measure.
                let n = indent.len();
                doc.styled(n, n + 2, &[(clean(&l.text), role)]);
            }
        }
        LedgerState::Failed(e) => {
            doc.heading("History");
            doc.line(vec![
                ("  unavailable: ".into(), Role::Dim),
                (clean(e), Role::Dim),
            ]);
        }
    }
    doc
}
