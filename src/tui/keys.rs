//! The one key table: it dispatches keys, writes the hint bar and the `?` help.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks for. `App::update` gives each its meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Tab(u8),
    NextTab,
    PrevTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Search,
    SearchNext,
    SearchPrev,
    SearchAccept,
    SearchCancel,
    SearchDelete,
    Help,
    Picker,
    Present,
    PrevLayer,
    NextLayer,
    MarkBase,
    CycleFilter,
    ToggleRaw,
    TimeTravel,
    WorkingTree,
    Reload,
    PresentNext,
    PresentPrev,
    ToggleTimeline,
    ZoomIn,
    ZoomOut,
    SetBaseline,
    ClearBaseline,
    LapseBack,
    LapseForward,
    Replay,
    /// The decision canvas of the whole product (Layers tab).
    Canvas,
    /// The dependency chains of the selected item.
    Deps,
    Report,
}

/// Where a binding applies. The app consults the contexts of its current
/// mode in order; the first binding that matches wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere except while typing a search query.
    Global,
    /// Moving in any list or page.
    Move,
    /// The lens tabs (Executive, Sales, Engineering, Layers).
    Lens,
    /// The Layers tab.
    Layers,
    /// The lenses that show work items: every lens tab but Sales.
    Items,
    /// The History tab.
    History,
    /// History's diff shown full size (Enter).
    DiffZoom,
    /// An open detail.
    Detail,
    /// Typing a search query.
    Search,
    /// Presentation mode.
    Present,
    /// The roadmap picker.
    Picker,
    /// The help screen.
    Help,
    /// A lens tab showing its timeline (`v`).
    Timeline,
    /// The timeline's baseline picker.
    BaselinePicker,
}

impl Ctx {
    pub fn title(self) -> &'static str {
        match self {
            Ctx::Global => "Anywhere",
            Ctx::Move => "Moving",
            Ctx::Lens => "Lenses (tabs 1-4)",
            Ctx::Layers => "Layers tab",
            Ctx::Items => "Executive, Engineering and Layers tabs (not Sales)",
            Ctx::History => "History tab",
            Ctx::DiffZoom => "History: the diff full size (Enter)",
            Ctx::Detail => "Detail",
            Ctx::Search => "Search query",
            Ctx::Present => "Presentation mode",
            Ctx::Picker => "Roadmap picker",
            Ctx::Help => "Help",
            Ctx::Timeline => "Timeline (v on a lens tab)",
            Ctx::BaselinePicker => "Baseline picker",
        }
    }
}

/// One key: a code and the modifiers that must be held (Shift is implied by
/// an upper-case character and ignored for characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// How the key is written in the hint bar and help.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }

    fn matches(&self, ev: &KeyEvent) -> bool {
        let mut mods = ev.modifiers;
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match ev.code {
            // Some terminals report Ctrl-letters in upper case.
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        self.code == code && self.mods == mods
    }
}

/// One row of the key table.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub description: &'static str,
    pub context: Ctx,
    /// Shown in the hint bar (when its context is active), with this short text.
    pub hint: Option<&'static str>,
}

const fn b(
    context: Ctx,
    keys: &'static [Key],
    action: Action,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        action,
        description,
        context,
        hint,
    }
}

use Action as A;
use Ctx as C;

/// Every key roadlens knows. Order matters: hints are shown in this order.
pub static TABLE: &[Binding] = &[
    // Search input first: while typing, only these keys (and characters) act.
    b(
        C::Search,
        &[code(KeyCode::Enter)],
        A::SearchAccept,
        "jump to the selected match",
        Some("jump"),
    ),
    b(
        C::Search,
        &[code(KeyCode::Esc)],
        A::SearchCancel,
        "cancel the search",
        Some("cancel"),
    ),
    b(
        C::Search,
        &[code(KeyCode::Down), ctrl('n')],
        A::Down,
        "next match in the list",
        Some("next"),
    ),
    b(
        C::Search,
        &[code(KeyCode::Up), ctrl('p')],
        A::Up,
        "previous match in the list",
        None,
    ),
    b(
        C::Search,
        &[code(KeyCode::Backspace)],
        A::SearchDelete,
        "delete the last character",
        None,
    ),
    b(C::Search, &[ctrl('c')], A::Quit, "quit roadlens", None),
    // Presentation mode.
    b(
        C::Present,
        &[
            code(KeyCode::Char(' ')),
            code(KeyCode::Right),
            code(KeyCode::PageDown),
        ],
        A::PresentNext,
        "next page, then the next slide",
        Some("next"),
    ),
    b(
        C::Present,
        &[
            code(KeyCode::Backspace),
            code(KeyCode::Left),
            code(KeyCode::PageUp),
        ],
        A::PresentPrev,
        "previous page, then the slide before",
        Some("previous"),
    ),
    b(
        C::Present,
        &[code(KeyCode::Esc), k('p')],
        A::Back,
        "leave presentation mode",
        Some("leave"),
    ),
    b(
        C::Present,
        &[k('a')],
        A::Replay,
        "timeline page: replay history, a step every few seconds (a again stops)",
        None,
    ),
    b(
        C::Present,
        &[k('<')],
        A::LapseBack,
        "timeline page: one commit back in history",
        None,
    ),
    b(
        C::Present,
        &[k('>')],
        A::LapseForward,
        "timeline page: one commit forward",
        None,
    ),
    // The baseline picker.
    b(
        C::BaselinePicker,
        &[code(KeyCode::Enter)],
        A::Open,
        "use the selected revision as the baseline",
        Some("use"),
    ),
    b(
        C::BaselinePicker,
        &[code(KeyCode::Esc), k('b')],
        A::Back,
        "close the picker",
        Some("close"),
    ),
    // The timeline.
    b(
        C::Timeline,
        &[k('+'), k('=')],
        A::ZoomIn,
        "zoom in (years → halves → quarters → months)",
        Some("zoom"),
    ),
    b(C::Timeline, &[k('-')], A::ZoomOut, "zoom out", None),
    b(
        C::Timeline,
        &[k('h'), code(KeyCode::Left)],
        A::Left,
        "scroll back in time",
        Some("scroll"),
    ),
    b(
        C::Timeline,
        &[k('l'), code(KeyCode::Right)],
        A::Right,
        "scroll forward in time",
        None,
    ),
    b(
        C::Timeline,
        &[k('b')],
        A::SetBaseline,
        "baseline: the entry marked in History, else pick a tag, commit or date",
        Some("baseline"),
    ),
    b(
        C::Timeline,
        &[k('B')],
        A::ClearBaseline,
        "clear the baseline",
        None,
    ),
    b(
        C::Timeline,
        &[k('<')],
        A::LapseBack,
        "time-lapse: the roadmap one commit back (the baseline stays)",
        Some("history"),
    ),
    b(
        C::Timeline,
        &[k('>')],
        A::LapseForward,
        "time-lapse: one commit forward, back to now",
        None,
    ),
    // Help.
    b(
        C::Help,
        &[code(KeyCode::Esc), k('?')],
        A::Back,
        "close help",
        Some("close"),
    ),
    // Picker.
    b(
        C::Picker,
        &[code(KeyCode::Enter)],
        A::Open,
        "open the selected roadmap",
        Some("open"),
    ),
    b(
        C::Picker,
        &[code(KeyCode::Esc), k('r')],
        A::Back,
        "close the picker",
        Some("close"),
    ),
    // Detail.
    b(
        C::Detail,
        &[code(KeyCode::Esc), code(KeyCode::Backspace)],
        A::Back,
        "back to the list",
        Some("back"),
    ),
    // History.
    b(
        C::History,
        &[code(KeyCode::Char(' '))],
        A::MarkBase,
        "mark (or unmark) the selected entry as the diff base",
        Some("mark base"),
    ),
    b(
        C::History,
        &[k('f')],
        A::CycleFilter,
        "cycle the lens that filters the diff",
        Some("filter"),
    ),
    b(
        C::History,
        &[k('t')],
        A::ToggleRaw,
        "toggle the raw text diff",
        Some("raw"),
    ),
    b(
        C::History,
        &[k('o')],
        A::TimeTravel,
        "open the roadmap as of the selected revision",
        Some("open rev"),
    ),
    b(
        C::History,
        &[k('e')],
        A::Report,
        "write the filter's lens as an HTML page (changes since the marked base)",
        None,
    ),
    b(
        C::History,
        &[code(KeyCode::Enter)],
        A::Open,
        "show the selected entry's diff full size (j/k, g/G, PgUp/PgDn scroll it)",
        None,
    ),
    b(
        C::DiffZoom,
        &[code(KeyCode::Esc)],
        A::Back,
        "back from the full-size diff",
        Some("back"),
    ),
    b(
        C::DiffZoom,
        &[code(KeyCode::PageDown), ctrl('d')],
        A::PageDown,
        "scroll the diff a page down (PgUp / Ctrl-u: up; j/k a line; g/G: top, end)",
        Some("page"),
    ),
    // Layers.
    b(
        C::Layers,
        &[k('[')],
        A::PrevLayer,
        "previous layer",
        Some("layer"),
    ),
    b(C::Layers, &[k(']')], A::NextLayer, "next layer", None),
    b(
        C::Layers,
        &[k('c')],
        A::Canvas,
        "the decision canvas of the whole product (c again, Esc, [ ] or h/l: back to the layers)",
        Some("canvas"),
    ),
    b(
        C::Layers,
        &[code(KeyCode::Esc)],
        A::Back,
        "leave the decision canvas (also h/l, [ ])",
        None,
    ),
    // Lenses that show work items.
    b(
        C::Items,
        &[k('d')],
        A::Deps,
        "dependency chains of the selected item, up and down, across layers",
        Some("deps"),
    ),
    // Lenses.
    b(
        C::Lens,
        &[code(KeyCode::Enter)],
        A::Open,
        "open the selected item's detail",
        Some("detail"),
    ),
    b(
        C::Lens,
        &[k('/')],
        A::Search,
        "fuzzy search what this lens shows",
        Some("search"),
    ),
    b(C::Lens, &[k('n')], A::SearchNext, "next search match", None),
    b(
        C::Lens,
        &[k('N')],
        A::SearchPrev,
        "previous search match",
        None,
    ),
    b(
        C::Lens,
        &[k('v')],
        A::ToggleTimeline,
        "this lens as a timeline (v again: as a list)",
        Some("timeline"),
    ),
    b(
        C::Lens,
        &[k('p')],
        A::Present,
        "presentation mode",
        Some("present"),
    ),
    b(
        C::Lens,
        &[k('e')],
        A::Report,
        "write this lens as an HTML page to share (changes since the marked base)",
        Some("report"),
    ),
    // Moving.
    b(
        C::Move,
        &[k('j'), code(KeyCode::Down)],
        A::Down,
        "move down",
        Some("move"),
    ),
    b(
        C::Move,
        &[k('k'), code(KeyCode::Up)],
        A::Up,
        "move up",
        None,
    ),
    b(
        C::Move,
        &[k('h'), code(KeyCode::Left)],
        A::Left,
        "move left (Engineering cells; on Layers: the previous layer)",
        None,
    ),
    b(
        C::Move,
        &[k('l'), code(KeyCode::Right)],
        A::Right,
        "move right (Engineering cells; on Layers: the next layer)",
        None,
    ),
    b(
        C::Move,
        &[code(KeyCode::PageDown), ctrl('d')],
        A::PageDown,
        "page down",
        None,
    ),
    b(
        C::Move,
        &[code(KeyCode::PageUp), ctrl('u')],
        A::PageUp,
        "page up",
        None,
    ),
    b(
        C::Move,
        &[k('g'), code(KeyCode::Home)],
        A::Top,
        "go to the top",
        None,
    ),
    b(
        C::Move,
        &[k('G'), code(KeyCode::End)],
        A::Bottom,
        "go to the bottom",
        None,
    ),
    // Anywhere.
    b(
        C::Global,
        &[k('1')],
        A::Tab(0),
        "Executive lens",
        Some("tabs"),
    ),
    b(C::Global, &[k('2')], A::Tab(1), "Sales lens", None),
    b(
        C::Global,
        &[k('3')],
        A::Tab(2),
        "Engineering lens (story map)",
        None,
    ),
    b(C::Global, &[k('4')], A::Tab(3), "Layers lens", None),
    b(C::Global, &[k('5')], A::Tab(4), "History", None),
    b(
        C::Global,
        &[code(KeyCode::Tab)],
        A::NextTab,
        "next tab",
        None,
    ),
    b(
        C::Global,
        &[code(KeyCode::BackTab)],
        A::PrevTab,
        "previous tab",
        None,
    ),
    b(
        C::Global,
        &[k('r')],
        A::Picker,
        "pick a roadmap (when there are several)",
        None,
    ),
    b(
        C::Global,
        &[k('O')],
        A::WorkingTree,
        "back to the working tree (after time travel)",
        None,
    ),
    b(
        C::Global,
        &[k('R')],
        A::Reload,
        "reload the roadmaps and the history",
        None,
    ),
    b(
        C::Global,
        &[k('?')],
        A::Help,
        "show every key",
        Some("help"),
    ),
    b(
        C::Global,
        &[k('q'), ctrl('c')],
        A::Quit,
        "quit (Ctrl-C always quits)",
        Some("quit"),
    ),
];

/// The binding for a key event in the given contexts (in order).
pub fn lookup(ev: &KeyEvent, contexts: &[Ctx]) -> Option<&'static Binding> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    contexts.iter().find_map(|ctx| {
        TABLE
            .iter()
            .filter(|b| b.context == *ctx)
            .find(|b| b.keys.iter().any(|k| k.matches(ev)))
    })
}

/// The keys of a binding as one label: `j/↓`.
pub fn keys_label(b: &Binding) -> String {
    b.keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
}

/// The bindings whose context is in `contexts` and that have a hint, in
/// table order but with contexts in the given order: (keys, action, text).
pub fn hints(contexts: &[Ctx]) -> Vec<(String, Action, &'static str)> {
    let mut out = vec![];
    for ctx in contexts {
        for b in TABLE.iter().filter(|b| b.context == *ctx) {
            if let Some(h) = b.hint {
                // The first key only, to keep the bar short.
                let key = match b.action {
                    Action::Up | Action::Down if *ctx == Ctx::Move => "j/k".to_string(),
                    Action::PrevLayer => "[ ]".to_string(),
                    Action::Tab(_) => "1-5".to_string(),
                    Action::ZoomIn => "+/-".to_string(),
                    Action::Left if *ctx == Ctx::Timeline => "h/l".to_string(),
                    Action::LapseBack if *ctx == Ctx::Timeline => "< >".to_string(),
                    _ => b.keys.first().map(Key::label).unwrap_or_default(),
                };
                out.push((key, b.action, h));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn first_matching_context_wins() {
        let space = ev(KeyCode::Char(' '), KeyModifiers::NONE);
        let b = lookup(&space, &[Ctx::Present, Ctx::Global]).map(|b| b.action);
        assert_eq!(b, Some(Action::PresentNext));
        let b = lookup(&space, &[Ctx::History, Ctx::Global]).map(|b| b.action);
        assert_eq!(b, Some(Action::MarkBase));
    }

    #[test]
    fn shifted_characters_and_ctrl() {
        let n = ev(KeyCode::Char('N'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&n, &[Ctx::Lens]).map(|b| b.action),
            Some(Action::SearchPrev)
        );
        let cc = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            lookup(&cc, &[Ctx::Search]).map(|b| b.action),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(&cc, &[Ctx::Global]).map(|b| b.action),
            Some(Action::Quit)
        );
        // Plain `c` is not Ctrl-C.
        let c = ev(KeyCode::Char('c'), KeyModifiers::NONE);
        assert!(lookup(&c, &[Ctx::Global]).is_none());
        let bt = ev(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&bt, &[Ctx::Global]).map(|b| b.action),
            Some(Action::PrevTab)
        );
    }

    #[test]
    fn every_binding_is_documented_and_keys_are_unique_per_context() {
        for b in TABLE {
            assert!(!b.description.is_empty());
            assert!(!b.keys.is_empty());
            for other in TABLE.iter().filter(|o| o.context == b.context) {
                if std::ptr::eq(b, other) {
                    continue;
                }
                for key in b.keys {
                    assert!(
                        !other.keys.contains(key),
                        "{key:?} bound twice in {:?}",
                        b.context
                    );
                }
            }
        }
    }
}
