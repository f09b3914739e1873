//! The TUI driven through the same key handling the app uses, drawn on
//! ratatui's TestBackend, with insta snapshots. Git work runs inline
//! (`App::settle`), so nothing here waits on a clock.

mod common;
use common::sandbox;
use git2::{Repository, Signature, Time};
use jiff::civil::{Date, date};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use roadlens::tui::{App, Msg, TABLE, Theme};
use std::path::{Path, PathBuf};

const TODAY: Date = date(2027, 5, 10);

fn sample_text() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-roadmaps/smart-pump.toml");
    std::fs::read_to_string(p).expect("read sample")
}

/// A temp dir (not a git repository) holding the sample roadmap.
fn sample_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("smart-pump.toml"), sample_text()).expect("write sample");
    dir
}

fn app_at(dir: &Path, w: u16, h: u16) -> App {
    let mut app = App::new_for_test(dir, TODAY, w, h);
    app.settle();
    app
}

fn buffer(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    t.backend().buffer().clone()
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    format!("{}", t.backend())
}

/// The screen at the app's own size.
fn shot(app: &App) -> String {
    let s = app.size();
    screen(app, s.0, s.1)
}

fn text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle_key(KeyEvent::new(code, mods));
    app.settle();
}

fn key(app: &mut App, code: KeyCode) {
    press(app, code, KeyModifiers::NONE);
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        press(app, KeyCode::Char(c), mods);
    }
}

// ------------------------------------------------------------- every tab

const TABS: [(&str, &str); 4] = [
    ("1", "exec"),
    ("2", "sales"),
    ("3", "engineering"),
    ("4", "layers"),
];

#[test]
fn every_lens_tab_at_80x24_and_160x48() {
    let dir = sample_dir();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app_at(dir.path(), w, h);
        for (k, name) in TABS {
            keys(&mut app, k);
            insta::assert_snapshot!(format!("tab_{name}_{w}x{h}"), shot(&app));
        }
    }
}

#[test]
fn tabs_cycle_and_layers_step() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    key(&mut app, KeyCode::Tab);
    assert!(shot(&app).contains("▸ Sales"));
    press(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    press(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert!(shot(&app).contains("▸ History"));
    keys(&mut app, "4");
    assert!(shot(&app).contains("Layer: Device hardware"));
    keys(&mut app, "]");
    assert!(shot(&app).contains("Layer: Device software"));
    keys(&mut app, "[[");
    assert!(shot(&app).contains("Layer: Cloud applications"));
    insta::assert_snapshot!("layer_apps_80x24", shot(&app));
}

#[test]
fn engineering_cursor_moves_between_cells_and_scrolls_sideways() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "3");
    // Right to the fourth and fifth layers: the grid scrolls sideways.
    keys(&mut app, "llll");
    let s = shot(&app);
    assert!(s.contains("Cloud applications"), "{s}");
    assert!(!s.contains("Device hardware"), "{s}");
    // Down through the items into the next releases, then the lists below.
    keys(&mut app, "jjjjjjjjjjjjjjjjjjjj");
    insta::assert_snapshot!("engineering_scrolled_80x24", shot(&app));
    keys(&mut app, "g");
    assert!(shot(&app).contains("v1 Vibration"));
}

// ---------------------------------------------------------------- details

#[test]
fn enter_opens_the_detail_and_esc_goes_back() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    key(&mut app, KeyCode::Enter);
    let s = shot(&app);
    // Every field, [extra] included.
    assert!(s.contains("extra.contract_manufacturer"), "{s}");
    assert!(s.contains("Flextronic Tooling"), "{s}");
    insta::assert_snapshot!("detail_release_v1_80x24", s);
    key(&mut app, KeyCode::Esc);
    assert!(shot(&app).contains("TIMELINE"));
}

#[test]
fn work_item_detail_lists_dependencies_both_ways() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 100, 40);
    keys(&mut app, "3j");
    key(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("sensor-board"), "{s}");
    assert!(s.contains("Depends on"), "{s}");
    assert!(s.contains("accelerometer"), "{s}");
}

// ----------------------------------------------------------------- search

#[test]
fn search_ranks_highlights_jumps_and_steps() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "/bearing");
    let s = shot(&app);
    assert!(s.contains("/bearing"), "{s}");
    insta::assert_snapshot!("search_bearing_80x24", s);
    // Matched characters are highlighted (bold + underlined).
    let buf = buffer(&app, 80, 24);
    let highlighted = (0..24)
        .flat_map(|y| (0..80).map(move |x| (x, y)))
        .filter(|&p| {
            buf[p]
                .modifier
                .contains(ratatui::style::Modifier::UNDERLINED)
        })
        .count();
    assert!(highlighted >= 7, "{highlighted} highlighted cells");
    key(&mut app, KeyCode::Enter);
    assert!(!shot(&app).contains("/bearing"));
    let first = buffer(&app, 80, 24);
    keys(&mut app, "n");
    let second = buffer(&app, 80, 24);
    keys(&mut app, "N");
    assert_eq!(buffer(&app, 80, 24), first);
    assert_ne!(first, second, "n moves the cursor to the next match");
}

#[test]
fn typing_q_in_search_is_text_and_ctrl_c_always_quits() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "/q");
    assert!(!app.should_quit());
    assert!(shot(&app).contains("/q"));
    key(&mut app, KeyCode::Esc);
    assert!(!shot(&app).contains("/q"));
    keys(&mut app, "/");
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.should_quit());
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "?");
    keys(&mut app, "q");
    assert!(app.should_quit());
}

// ------------------------------------------------------------------- help

#[test]
fn help_lists_every_key_of_the_key_table() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "?");
    insta::assert_snapshot!("help_80x24", shot(&app));
    // Tall enough to show it all: every description is there.
    let mut app = app_at(dir.path(), 120, 120);
    keys(&mut app, "?");
    let s = shot(&app);
    for b in TABLE {
        assert!(s.contains(b.description), "help lacks {:?}", b.description);
    }
    key(&mut app, KeyCode::Esc);
    assert!(!shot(&app).contains("Every key"));
    // 80 columns wide: a long description wraps under itself, whole.
    let mut app = app_at(dir.path(), 80, 150);
    keys(&mut app, "?");
    let s = shot(&app);
    // The descriptions' column (after the border and the key column), its
    // lines joined.
    let text: Vec<String> = s
        .lines()
        .map(|l| {
            let chars: Vec<char> = l.chars().collect();
            let end = chars.len().saturating_sub(2);
            chars[27.min(end)..end]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|t| !t.is_empty())
        .collect();
    let joined = text.join(" ");
    for b in TABLE {
        assert!(joined.contains(b.description), "{:?}\n{s}", b.description);
    }
}

// ----------------------------------------------------------- presentation

#[test]
fn presentation_mode_steps_through_releases() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "p");
    let s = shot(&app);
    assert!(!s.contains("1 Executive"), "no chrome: {s}");
    assert!(s.contains("page 1/2 · slide 1/4"), "{s}");
    insta::assert_snapshot!("present_exec_v1_80x24", s);
    // Space: the rest of v1 (its title again), then v2.
    key(&mut app, KeyCode::Char(' '));
    let s = shot(&app);
    assert!(s.contains("v1  Vibration monitoring"), "{s}");
    assert!(s.contains("Factory provisioning tooling"), "{s}");
    // Tagged as the Executive tab tags it.
    assert!(
        s.lines()
            .any(|l| l.contains("Factory provisioning tooling") && l.contains("internal")),
        "{s}"
    );
    assert!(s.contains("page 2/2 · slide 1/4"), "{s}");
    key(&mut app, KeyCode::Char(' '));
    assert!(shot(&app).contains("v2  Connected fleet"));
    // Backspace: the last page of the slide before.
    key(&mut app, KeyCode::Backspace);
    assert!(shot(&app).contains("page 2/2 · slide 1/4"));
    key(&mut app, KeyCode::Backspace);
    assert!(shot(&app).contains("page 1/2 · slide 1/4"));
    keys(&mut app, "2");
    insta::assert_snapshot!("present_sales_160x48", screen(&app, 160, 48));
    key(&mut app, KeyCode::Esc);
    assert!(shot(&app).contains("1 Executive"));
    // A layer's slide names its open decisions (it said "1 open
    // decision(s)" and no more).
    let mut app = app_at(dir.path(), 160, 48);
    keys(&mut app, "4p");
    let s = shot(&app);
    assert!(s.contains("1 open decision"), "{s}");
    assert!(!s.contains("decision(s)"), "{s}");
    assert!(
        s.contains("? ATEX certification for hazardous-area installations"),
        "{s}"
    );
}

/// One release with six features, each with a business value, and two
/// themes that share a title but not their metric.
fn six_features() -> String {
    let mut s = String::from(
        "[roadmap]\nid = \"six\"\ntitle = \"Six\"\n\n\
         [[metric]]\nid = \"m-a\"\nname = \"Alpha metric\"\nunit = \"hours\"\ncurrent = 41.0\ntarget = 28.0\n\n\
         [[metric]]\nid = \"m-b\"\nname = \"Beta metric\"\nunit = \"%\"\ncurrent = 62.0\ntarget = 90.0\n\n\
         [[theme]]\nid = \"t-a\"\ntitle = \"Trust\"\nmetric = \"m-a\"\n\n\
         [[theme]]\nid = \"t-b\"\ntitle = \"Trust\"\nmetric = \"m-b\"\n\n\
         [[release]]\nid = \"r1\"\nname = \"Big release\"\ntarget = \"2027-Q3\"\nstatus = \"in-progress\"\n\n\
         [[release]]\nid = \"r2\"\nname = \"Next release\"\ntarget = \"2027-Q4\"\n\n",
    );
    for i in 1..=6 {
        s.push_str(&format!(
            "[[feature]]\nid = \"f{i}\"\ntitle = \"Feature number {i}\"\nrelease = \"r1\"\n\
             themes = [\"t-a\"]\nbusiness_value = \"Why feature {i} matters: it opens a market, \
             keeps a customer and pays for itself within a year.\"\n\n"
        ));
    }
    s.push_str(
        "[[feature]]\nid = \"g\"\ntitle = \"Other\"\nrelease = \"r2\"\nthemes = [\"t-b\"]\n",
    );
    s
}

#[test]
fn presentation_pages_a_slide_that_does_not_fit_instead_of_cutting_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("six.toml"), six_features()).expect("write");
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "p");
    let mut pages = vec![shot(&app)];
    loop {
        key(&mut app, KeyCode::Char(' '));
        let s = shot(&app);
        if !s.contains("r1  Big release") {
            break;
        }
        pages.push(s);
        assert!(pages.len() < 10, "Space steps on");
    }
    let n = pages.len();
    assert!(
        n > 1,
        "six features with their text do not fit one 80x24 page"
    );
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains(&format!("page {}/{n} · slide 1/2", i + 1)),
            "{p}"
        );
    }
    // Every feature and all of its text is on some page.
    let all = pages.join("\n");
    for i in 1..=6 {
        assert!(all.contains(&format!("Feature number {i}")), "{all}");
        assert!(all.contains(&format!("Why feature {i} matters")), "{all}");
    }
    assert_eq!(all.matches("year.").count(), 6, "{all}");
    // The themes' metrics by id, though both themes are called "Trust".
    assert!(all.contains("Alpha metric: 41 → 28 hours"), "{all}");
    assert!(!all.contains("Beta metric"), "{all}");
    let s = shot(&app);
    assert!(s.contains("r2  Next release"), "{s}");
    assert!(s.contains("Beta metric: 62% → 90%"), "{s}");
    assert!(s.contains("slide 2/2"), "{s}");
    // Back: the last page of the first slide.
    key(&mut app, KeyCode::Backspace);
    assert!(shot(&app).contains(&format!("page {n}/{n} · slide 1/2")));
}

#[test]
fn sales_slides_go_in_time_order_and_tell_committed_from_planned() {
    let mut s = String::from("[roadmap]\nid = \"t\"\ntitle = \"T\"\n\n");
    // today is 2027-05-10: now = 2027-Q2, next = 2027-Q3..Q4, later = 2028 on.
    let releases = [
        ("rh2", "2027-H2", "planned"),
        ("rlater", "later", "planned"),
        ("rq3", "2027-Q3", "in-progress"),
        ("rnow", "now", "planned"),
        ("rold", "2027-02", "shipped"),
        ("r2028", "2028", "planned"),
    ];
    for (id, target, status) in releases {
        s.push_str(&format!(
            "[[release]]\nid = \"{id}\"\nname = \"{id}\"\ntarget = \"{target}\"\nstatus = \"{status}\"\n\n"
        ));
        let commitment = if id == "rq3" { "committed" } else { "planned" };
        s.push_str(&format!(
            "[[feature]]\nid = \"f-{id}\"\ntitle = \"Feature of {id}\"\nrelease = \"{id}\"\n\
             commitment = \"{commitment}\"\ncustomer_value = \"Value.\"\n\n"
        ));
    }
    s.push_str(
        "[[feature]]\nid = \"x\"\ntitle = \"Feature to explore\"\nrelease = \"rq3\"\n\
         commitment = \"exploring\"\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("t.toml"), s).expect("write");
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "2p");
    let mut order = vec![];
    for _ in 0..7 {
        let s = shot(&app);
        let title = s
            .lines()
            .nth(1)
            .unwrap_or_default()
            .trim_matches([' ', '"'])
            .to_string();
        if order.last() != Some(&title) {
            order.push(title);
        }
        // Committed and planned features say so.
        if s.contains("Feature of rq3") {
            assert!(s.contains("Feature of rq3   committed"), "{s}");
        }
        if s.contains("Feature of rh2") {
            assert!(s.contains("Feature of rh2   planned"), "{s}");
        }
        key(&mut app, KeyCode::Char(' '));
    }
    assert_eq!(
        order,
        [
            "Available now",
            "Now",
            "2027-Q3",
            "2027-H2",
            "2028",
            "Later",
            "Exploring"
        ]
    );
}

// ---------------------------------------------------------- sales no leak

/// Nothing the sales lens hides may appear on any sales screen.
#[test]
fn the_sales_tab_never_shows_what_sales_must_not_see() {
    let dir = sample_dir();
    let forbidden = [
        "Factory provisioning",
        "Internal fleet operations",
        "Failure data labelling",
        "Cuts end-of-line time",
        "HW-1",
        "at-risk",
        "blocked",
        "internal",
        "Flextronic",
        "2027-01",
        "2028-03-15",
    ];
    let mut screens = vec![];
    for (w, h) in [(80, 24), (200, 60)] {
        let mut app = app_at(dir.path(), w, h);
        keys(&mut app, "2");
        screens.push(shot(&app));
        // Every item's detail.
        for _ in 0..40 {
            key(&mut app, KeyCode::Enter);
            screens.push(shot(&app));
            key(&mut app, KeyCode::Esc);
            keys(&mut app, "j");
            screens.push(shot(&app));
        }
        // Search over everything the lens shows (empty query lists all).
        keys(&mut app, "/");
        screens.push(shot(&app));
        for c in ["i", "n", "t"] {
            keys(&mut app, c);
            screens.push(shot(&app));
        }
        key(&mut app, KeyCode::Esc);
        keys(&mut app, "p");
        for _ in 0..6 {
            screens.push(shot(&app));
            key(&mut app, KeyCode::Char(' '));
        }
    }
    for s in &screens {
        for f in forbidden {
            assert!(!s.contains(f), "sales screen shows {f:?}:\n{s}");
        }
    }
}

// ---------------------------------------------------------- terminal size

#[test]
fn tiny_terminals_show_a_message_and_never_panic() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 30, 8);
    insta::assert_snapshot!("too_small_30x8", shot(&app));
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 5),
        (30, 8),
        (39, 24),
        (80, 9),
        (40, 10),
        (41, 11),
    ] {
        app.handle_event(ratatui::crossterm::event::Event::Resize(w, h));
        for k in [
            "1", "2", "3", "4", "5", "?", "\u{1b}", "p", "\u{1b}", "/", "\u{1b}",
        ] {
            match k {
                "\u{1b}" => key(&mut app, KeyCode::Esc),
                k => keys(&mut app, k),
            }
            let _ = screen(&app, w, h);
        }
    }
    // Recovers on resize.
    app.handle_event(ratatui::crossterm::event::Event::Resize(80, 24));
    keys(&mut app, "1");
    let s = shot(&app);
    assert!(s.contains("TIMELINE"), "{s}");
}

/// Behind "Terminal too small" keys do nothing unseen (only q quits): a
/// resize back shows the screen as it was.
#[test]
fn keys_wait_while_the_terminal_is_too_small() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    let before = shot(&app);
    app.handle_event(ratatui::crossterm::event::Event::Resize(30, 8));
    keys(&mut app, "3jjv5");
    // Nor the mouse: the wheel and a click where the tabs would be.
    app.set_mouse(true);
    for (kind, column, row) in [
        (MouseEventKind::ScrollDown, 10, 5),
        (MouseEventKind::Down(MouseButton::Left), 16, 1),
    ] {
        let ev = MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        };
        assert!(!app.handle_event(ratatui::crossterm::event::Event::Mouse(ev)));
    }
    app.handle_event(ratatui::crossterm::event::Event::Resize(80, 24));
    assert_eq!(shot(&app), before);
    app.handle_event(ratatui::crossterm::event::Event::Resize(30, 8));
    keys(&mut app, "q");
    assert!(app.should_quit());
}

// ------------------------------------------------------------------ colour

#[test]
fn no_color_draws_without_colour_and_colour_is_ansi_16() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 120, 40);
    for (k, _) in TABS {
        keys(&mut app, k);
        let buf = buffer(&app, 120, 40);
        for cell in buf.content() {
            assert_eq!(cell.fg, Color::Reset);
            assert_eq!(cell.bg, Color::Reset);
        }
        // The selection is still visible: reverse video somewhere.
        assert!(
            buf.content()
                .iter()
                .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        );
    }
    app.set_theme(Theme { color: true });
    for (k, _) in TABS {
        keys(&mut app, k);
        let buf = buffer(&app, 120, 40);
        for cell in buf.content() {
            for c in [cell.fg, cell.bg] {
                assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
            }
        }
    }
}

// --------------------------------------------------------- untrusted text

#[test]
fn hostile_strings_are_sanitized_on_every_screen() {
    let hostile = sample_text()
        .replace(
            "title = \"Smart Pump\"",
            "title = \"Smart\\u001b]52;c;ZXZpbA==\\u0007 Pump\\u202e\"",
        )
        .replace(
            "name = \"Vibration monitoring\"",
            "name = \"Vibration\\u200b\\u001b[2J monitoring\\t!\"",
        )
        .replace(
            "title = \"Built-in vibration sensing\"",
            "title = \"Built-in\\u0085 vibration \\u2066sensing\\u0008\"",
        );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("r.toml"), hostile).expect("write");
    let mut app = app_at(dir.path(), 120, 40);
    let mut bufs = vec![];
    for k in ["1", "2", "3", "4"] {
        keys(&mut app, k);
        bufs.push(buffer(&app, 120, 40));
        key(&mut app, KeyCode::Enter);
        bufs.push(buffer(&app, 120, 40));
        key(&mut app, KeyCode::Esc);
        keys(&mut app, "/vib");
        bufs.push(buffer(&app, 120, 40));
        key(&mut app, KeyCode::Esc);
        keys(&mut app, "p");
        bufs.push(buffer(&app, 120, 40));
        key(&mut app, KeyCode::Esc);
    }
    let all: String = bufs.iter().map(text).collect();
    assert!(all.contains("⟨U+202E⟩"), "placeholders are visible");
    assert!(!all.contains("52;c"), "no escape sequence remnants");
    assert!(!all.contains("[2J"));
    for c in all.chars() {
        assert!(
            c == '\n' || !roadlens::text::is_unsafe_char(c),
            "unsafe char {c:?} reached the screen"
        );
    }
}

// ------------------------------------------------------ errors and reload

#[test]
fn a_broken_roadmap_shows_located_errors_and_recovers_live() {
    let dir = sample_dir();
    let path = dir.path().join("smart-pump.toml");
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "2");
    let good = sample_text();
    std::fs::write(
        &path,
        good.replace(
            "status = \"planned\"\nhealth = \"on-track\"",
            "status = \"plannd\"\nhealth = \"on-track\"",
        ),
    )
    .expect("write");
    app.handle_msg(Msg::FsChanged);
    app.settle();
    // (The Sales tab says only that it has errors.)
    assert!(shot(&app).contains("This roadmap has 2 errors"));
    keys(&mut app, "1");
    let s = shot(&app);
    assert!(s.contains("smart-pump.toml:"), "{s}");
    assert!(s.contains("plannd"), "{s}");
    insta::assert_snapshot!("broken_roadmap_80x24", s);
    std::fs::write(&path, good).expect("write");
    app.handle_msg(Msg::FsChanged);
    app.settle();
    keys(&mut app, "2");
    let s = shot(&app);
    assert!(s.contains("COMMITTED"), "{s}");
}

/// On the Sales tab a broken roadmap says that it has errors, not where
/// or what (they quote its lines: internal items, release ids), as
/// History's sales filter does; any other tab shows them.
#[test]
fn a_broken_roadmap_on_the_sales_tab_quotes_none_of_its_lines() {
    let dir = sample_dir();
    let path = dir.path().join("smart-pump.toml");
    let broken = sample_text().replacen(
        "name = \"Connected fleet\"",
        "name = \"Connected fleet SECRET",
        1,
    );
    std::fs::write(&path, broken).expect("write");
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "2");
    let s = shot(&app);
    assert!(s.contains("has 1 error"), "{s}");
    assert!(
        !s.contains("SECRET") && !s.contains("smart-pump.toml"),
        "{s}"
    );
    assert!(s.contains("any other tab"), "{s}");
    keys(&mut app, "1");
    let s = shot(&app);
    assert!(
        s.contains("SECRET") && s.contains("smart-pump.toml:"),
        "{s}"
    );
}

/// A past revision that does not parse says so, and how to get back (it
/// said "fix and save", which cannot apply to a commit).
#[test]
fn a_broken_past_revision_opened_says_how_to_return() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 80, 24);
    keys(&mut app, "5jjo");
    app.settle();
    let s = shot(&app);
    assert!(s.contains("has 1 error at this revision; O returns"), "{s}");
    assert!(!s.contains("fix and save"), "{s}");
}

/// `n` after a search that found nothing says so (it said "press / first").
#[test]
fn n_after_a_search_that_found_nothing_says_so() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "/zzqqxx");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "n");
    let s = shot(&app);
    assert!(s.contains("the last search found nothing"), "{s}");
}

/// A revision opened from History under the sales filter is named by its
/// quarter on the Sales tab, and by its commit and day on the others.
#[test]
fn a_revision_opened_under_sales_is_named_by_each_tab_as_its_lens_names_it() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 100, 24);
    // (Under sales the list starts at the first entry sales notices.)
    keys(&mut app, "25jjo");
    app.settle();
    let header = |app: &App| shot(app).lines().next().unwrap_or_default().to_string();
    let h = header(&app);
    assert!(
        h.contains("▸ Sales") && h.contains("@ 2027-Q1 (O: back)"),
        "{h}"
    );
    keys(&mut app, "1");
    let h = header(&app);
    assert!(h.contains("@ 66b257c 2027-01-16 (O: back)"), "{h}");
}

/// The full-size diff is read with the keys that move: they scroll it,
/// not the selection, and G then k comes back at once.
#[test]
fn the_full_size_diff_scrolls_with_the_moving_keys() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 80, 14);
    keys(&mut app, "5jjj");
    let selected = |s: &str| s.lines().find(|l| l.contains("> ")).map(str::to_string);
    let before = selected(&shot(&app));
    let last_line = |s: &str| s.lines().last().unwrap_or_default().to_string();
    assert!(
        !last_line(&shot(&app)).contains("Esc back"),
        "{}",
        shot(&app)
    );
    key(&mut app, KeyCode::Enter);
    let top = shot(&app);
    // The hint bar says how to read it and how to leave (it said neither).
    let hints = last_line(&top);
    assert!(hints.contains("Esc back"), "{hints}");
    assert!(hints.contains("PgDn page"), "{hints}");
    keys(&mut app, "j");
    let down = shot(&app);
    assert_ne!(top, down, "j scrolls the diff");
    keys(&mut app, "G");
    let bottom = shot(&app);
    keys(&mut app, "k");
    assert_ne!(shot(&app), bottom, "k after G scrolls back at once");
    keys(&mut app, "g");
    assert_eq!(shot(&app), top);
    key(&mut app, KeyCode::Esc);
    assert_eq!(selected(&shot(&app)), before, "the selection stayed");
}

/// The story map's release total counts work without an estimate apart,
/// as its cells do ("Σ 0 days" stood beside a cell's "Σ 0d +1?").
#[test]
fn the_release_total_counts_unestimated_work_as_its_cells_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = sample_text().replacen("estimate = \"10w\"\n", "", 1);
    std::fs::write(dir.path().join("smart-pump.toml"), text).expect("write");
    let mut app = app_at(dir.path(), 160, 48);
    keys(&mut app, "3");
    let s = shot(&app);
    assert!(
        s.lines()
            .any(|l| l.contains("Σ") && l.contains("weeks +1?")),
        "the release total: {s}"
    );
}

/// The timeline is projected again when a fixed file arrives (it stayed on
/// "nothing to draw" after the file was broken and fixed: its key counted
/// loads asked for, not loads arrived).
#[test]
fn the_timeline_recovers_when_a_broken_roadmap_is_fixed() {
    let dir = sample_dir();
    let path = dir.path().join("smart-pump.toml");
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "1v");
    assert!(shot(&app).contains("TIMELINE"), "{}", shot(&app));
    let good = sample_text();
    std::fs::write(
        &path,
        good.replace("status = \"planned\"", "status = \"plannd\""),
    )
    .expect("write");
    app.handle_msg(Msg::FsChanged);
    app.settle();
    assert!(shot(&app).contains("plannd"), "{}", shot(&app));
    std::fs::write(&path, good).expect("write");
    app.handle_msg(Msg::FsChanged);
    app.settle();
    let s = shot(&app);
    assert!(!s.contains("nothing to draw"), "{s}");
    assert!(s.contains("v1 Vibration"), "{s}");
}

#[test]
fn several_roadmaps_have_a_picker_and_the_header_names_the_file() {
    let dir = sample_dir();
    let pulse = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-roadmaps/pulse-analytics.toml");
    std::fs::copy(pulse, dir.path().join("pulse-analytics.toml")).expect("copy");
    let mut app = app_at(dir.path(), 100, 24);
    let s = shot(&app);
    assert!(s.contains("[1/2 pulse-analytics.toml]"), "{s}");
    keys(&mut app, "r");
    insta::assert_snapshot!("picker_100x24", shot(&app));
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("Smart Pump"), "{s}");
    assert!(s.contains("[2/2 smart-pump.toml]"), "{s}");
    // The Sales tab names files by their roadmap's title, never the path
    // (a path can name a release or a customer), in the header and picker.
    keys(&mut app, "2");
    let s = shot(&app);
    assert!(s.contains("[2/2 Smart Pump]"), "{s}");
    keys(&mut app, "r");
    let s = shot(&app);
    assert!(!s.contains(".toml"), "{s}");
    assert!(
        s.contains("Pulse Analytics") && s.contains("Smart Pump"),
        "{s}"
    );
}

#[test]
fn no_git_repository_means_the_history_tab_says_so() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "5");
    assert!(shot(&app).contains("not a git repository"));
    // And the lenses still work.
    keys(&mut app, "1");
    assert!(shot(&app).contains("TIMELINE"));
}

// ---------------------------------------------------------------- history

fn commit(repo: &Repository, dir: &Path, text: &str, message: &str, time: i64) {
    commit_files(repo, dir, &[("smart-pump.toml", Some(text))], message, time);
}

/// A repository with four commits (one of them unparseable) and an
/// uncommitted change.
fn history_repo() -> (tempfile::TempDir, PathBuf) {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    let repo = Repository::init(&root).expect("init");
    let v1 = sample_text();
    commit(&repo, &root, &v1, "Initial roadmap", 1_800_000_000);
    let v2 = v1
        .replacen("target = \"2027-Q4\"", "target = \"2028-Q1\"", 1)
        .replacen(
            "health = \"at-risk\"\nconfidence = \"medium\"",
            "health = \"off-track\"\nconfidence = \"medium\"",
            1,
        );
    commit(
        &repo,
        &root,
        &v2,
        "Slip v2 to 2028-Q1\n\nThe LTE-M modem certification moved; v1 is now off track.",
        1_800_086_400,
    );
    let broken = v2.replacen("name = \"Connected fleet\"", "name = \"Connected fleet", 1);
    commit(&repo, &root, &broken, "WIP: half an edit", 1_800_172_800);
    let v3 = v2.replacen(
        "visibility = \"internal\"\nbusiness_value = \"Cuts",
        "visibility = \"public\"\ncustomer_value = \"Pumps arrive ready to connect.\"\nbusiness_value = \"Cuts",
        1,
    );
    commit(
        &repo,
        &root,
        &v3,
        "Provisioning tooling is now public",
        1_800_259_200,
    );
    let wt = v3.replacen("confidence = \"low\"", "confidence = \"medium\"", 1);
    std::fs::write(root.join("smart-pump.toml"), wt).expect("write worktree");
    (dir, root)
}

#[test]
fn history_streams_uncommitted_first_and_diffs_the_selection() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 80, 24);
    keys(&mut app, "5");
    let s = shot(&app);
    assert!(s.contains("working tree"), "{s}");
    assert!(s.contains("confidence"), "{s}");
    insta::assert_snapshot!("history_uncommitted_80x24", s);
    // A revision whose parent does not parse: compared with the last
    // version that did (as `roadlens log` does), and it says so.
    keys(&mut app, "j");
    let s = shot(&app);
    assert!(s.contains("Provisioning tooling is now public"), "{s}");
    assert!(s.contains("compared with 66b257c"), "{s}");
    assert!(s.contains("is now visible to sales"), "{s}");
    insta::assert_snapshot!("history_after_unparseable_80x24", s);
    // The revision that does not parse: the error and the raw diff.
    keys(&mut app, "j");
    let s = shot(&app);
    assert!(s.contains("new (3d0dc38): smart-pump.toml:"), "{s}");
    assert!(s.contains("cannot parse"), "{s}");
    // Under an audience's filter, no raw text: it would show what the lens
    // hides.
    assert!(s.contains("raw text is not available in"), "{s}");
    assert!(!s.contains("raw text diff"), "{s}");
    insta::assert_snapshot!("history_unparseable_80x24", s);
    keys(&mut app, "j");
    let s = screen(&app, 160, 48);
    assert!(s.contains("slipped"), "{s}");
    let mut wide = app_at(&root, 160, 48);
    keys(&mut wide, "5jjj");
    insta::assert_snapshot!("history_slip_160x48", shot(&wide));
}

/// A terminal that grows shows the whole list again: no empty rows below
/// the last entry while the newest ("working tree") are scrolled away.
#[test]
fn history_list_refills_when_the_terminal_grows() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 80, 12);
    keys(&mut app, "5G");
    let s = shot(&app);
    // (The header's "working tree" says what is shown, not the list.)
    let listed = |s: &str| s.matches("working tree").count() > 1;
    assert!(!listed(&s), "scrolled at 80x12: {s}");
    let s = screen(&app, 160, 48);
    assert!(listed(&s), "{s}");
    assert!(s.contains("Initial roadmap"), "{s}");
}

/// Commit these files (`None`: removed) with `message`.
fn commit_files(
    repo: &Repository,
    dir: &Path,
    files: &[(&str, Option<&str>)],
    message: &str,
    time: i64,
) {
    let mut index = repo.index().expect("index");
    for (path, text) in files {
        match text {
            Some(t) => {
                std::fs::write(dir.join(path), t).expect("write");
                index.add_path(Path::new(path)).expect("add");
            }
            None => {
                std::fs::remove_file(dir.join(path)).expect("rm");
                index.remove_path(Path::new(path)).expect("remove");
            }
        }
    }
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = Signature::new("Ada Lovelace", "ada@example.com", &Time::new(time, 60)).expect("sig");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .expect("commit");
}

/// Two roadmaps; the Smart Pump's file slips v2 and is then renamed.
fn two_roadmaps_one_renamed() -> (tempfile::TempDir, PathBuf) {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    let repo = Repository::init(&root).expect("init");
    let pulse = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-roadmaps/pulse-analytics.toml"),
    )
    .expect("read");
    let pump = sample_text();
    let t = 1_800_000_000;
    commit_files(
        &repo,
        &root,
        &[("alpha.toml", Some(&pulse)), ("beta.toml", Some(&pump))],
        "Two roadmaps",
        t,
    );
    let slipped = pump.replacen("target = \"2027-Q4\"", "target = \"2028-Q1\"", 1);
    commit_files(
        &repo,
        &root,
        &[("beta.toml", Some(&slipped))],
        "Slip beta",
        t + 86_400,
    );
    commit_files(
        &repo,
        &root,
        &[("beta.toml", None), ("beta-renamed.toml", Some(&slipped))],
        "Rename beta",
        t + 2 * 86_400,
    );
    (dir, root)
}

/// Opened on a renamed file, History follows it back through the rename
/// (as `roadlens log -- PATH`), and a revision opened from it shows the
/// same roadmap under its name there.
#[test]
fn history_follows_a_renamed_roadmap_and_opens_it_at_older_revisions() {
    let (_dir, root) = two_roadmaps_one_renamed();
    let mut app = app_at(&root.join("beta-renamed.toml"), 120, 30);
    keys(&mut app, "5");
    let s = shot(&app);
    assert!(s.contains("History: 3 entries"), "{s}");
    assert!(s.contains("Slip beta") && s.contains("Two roadmaps"), "{s}");
    // The slip's diff is there (the entry's file under its old name).
    keys(&mut app, "j");
    assert!(shot(&app).contains("2028-Q1"), "{}", shot(&app));
    // Opened on the whole repository: the renamed roadmap picked, a
    // revision before the rename opens it, not the other roadmap.
    let mut app = app_at(&root, 120, 30);
    keys(&mut app, "r");
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    assert!(shot(&app).contains("Smart Pump"), "{}", shot(&app));
    keys(&mut app, "5jo");
    app.settle();
    let s = shot(&app);
    assert!(s.contains("Smart Pump") && s.contains("@ "), "{s}");
    assert!(s.contains("beta.toml"), "{s}");
}

/// The raw diff wraps a long line rather than cutting it: the change at
/// its end is the change.
#[test]
fn the_raw_diff_wraps_long_lines() {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    let repo = Repository::init(&root).expect("init");
    let long = "Every pump measures its own vibration, around the clock, in every season, in every pump house, on every continent, and says so";
    let v1 = sample_text().replacen(
        "Every pump measures its own vibration, around the clock.",
        &format!("{long} nicely."),
        1,
    );
    commit(&repo, &root, &v1, "Long value", 1_800_000_000);
    let v2 = v1.replacen(" nicely.", " loudly!", 1);
    std::fs::write(root.join("smart-pump.toml"), v2).expect("write");
    let mut app = app_at(&root, 80, 40);
    keys(&mut app, "5");
    // All changes, raw text.
    for _ in 0..16 {
        if shot(&app).contains("filter: all changes") {
            break;
        }
        keys(&mut app, "f");
    }
    keys(&mut app, "t");
    let s = shot(&app);
    assert!(s.contains("nicely.") && s.contains("loudly!"), "{s}");
}

/// The commit subjects of [`history_repo`].
const SUBJECTS: [&str; 4] = [
    "Initial roadmap",
    "Slip v2",
    "WIP: half an edit",
    "Provisioning tooling is now public",
];

#[test]
fn history_under_the_sales_filter_says_only_what_sales_sees() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 80, 24);
    // The working tree changes a confidence only: nothing sales sees, so
    // it is not listed (as `roadlens log --lens sales` leaves it out), and
    // the list does not say how many were left out either.
    keys(&mut app, "25");
    let s = shot(&app);
    let list: Vec<&str> = s.lines().skip(2).take(6).collect();
    assert!(!list.iter().any(|l| l.contains("working tree")), "{s}");
    assert!(s.contains("History: 4 entries "), "{s}");
    assert!(
        !s.contains("other change") && !s.contains("nothing it shows"),
        "{s}"
    );
    // Another filter lists every entry again.
    keys(&mut app, "f");
    assert!(shot(&app).contains("History: 5 entries"), "{}", shot(&app));
    for _ in 0..16 {
        if shot(&app).contains("filter: sales lens") {
            break;
        }
        keys(&mut app, "f");
    }
    // From the sales lens, the slip of v2: its public features' quarter
    // moved, said without the release.
    keys(&mut app, "gjj");
    let s = shot(&app);
    assert!(s.contains("filter: sales lens"), "{s}");
    assert!(s.contains("slipped"), "{s}");
    // The diff pane: no release, health, or commit message (the list above
    // is the PM's own navigation).
    let pane: String = s.lines().skip(9).collect::<Vec<_>>().join("\n");
    for hidden in [
        "business_value",
        "internal",
        "release v",
        "health",
        "v2 ",
        "off track",
    ] {
        assert!(!pane.contains(hidden), "sales sees {hidden}: {s}");
    }
    insta::assert_snapshot!("history_sales_80x24", s);
    // Nor does the list: no commit subject on any entry (as `roadlens log
    // --lens sales`), a neutral word instead.
    for subject in SUBJECTS {
        assert!(!s.contains(subject), "sales sees {subject:?}: {s}");
    }
    assert!(s.contains("roadmap change"), "{s}");
    // Raw text is refused under the sales filter.
    keys(&mut app, "t");
    let s = shot(&app);
    assert!(s.contains("raw text is not available in"), "{s}");
    // It names the filter that shows it (it said "no filter", a name no
    // filter has).
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("\"all changes\" shows it"), "{s}");
    assert!(!s.contains("+++"), "{s}");
    keys(&mut app, "t");
    // A revision that does not parse: that it has errors (not where: the
    // error names lines and internal text), no raw text.
    keys(&mut app, "k");
    let s = shot(&app);
    assert!(!s.contains("WIP: half an edit"), "{s}");
    assert!(s.contains("cannot parse"), "{s}");
    assert!(s.contains("a version has errors"), "{s}");
    assert!(!s.contains("TOML syntax"), "{s}");
    assert!(!s.contains("+++") && !s.contains("@@"), "{s}");
    insta::assert_snapshot!("history_sales_unparseable_80x24", s);
}

#[test]
fn history_filters_by_lens_marks_a_base_and_shows_raw_text() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 120, 40);
    // From the sales lens: the diff is filtered by it.
    keys(&mut app, "25jj");
    let s = shot(&app);
    assert!(s.contains("f filter: sales lens"), "{s}");
    assert!(s.contains("filter: sales lens"), "{s}");
    // The slip of v2 is a sales change (a quarter moved); the health is not.
    assert!(!s.contains("off-track"), "{s}");
    keys(&mut app, "f");
    let s = shot(&app);
    assert!(s.contains("filter: engineering lens"), "{s}");
    // Cycle back round to all changes.
    for _ in 0..7 {
        if shot(&app).contains("filter: all changes") {
            break;
        }
        keys(&mut app, "f");
    }
    assert!(shot(&app).contains("off-track"));
    // Base: the initial commit; target: the working tree.
    keys(&mut app, "G ");
    keys(&mut app, "g");
    let s = shot(&app);
    assert!(s.contains("marked base"), "{s}");
    assert!(s.contains("2028-Q1"), "{s}");
    assert!(s.contains("! is now visible to sales"), "{s}");
    keys(&mut app, "t");
    let s = shot(&app);
    assert!(s.contains("+++ b/smart-pump.toml"), "{s}");
    assert!(s.contains("-confidence = \"low\""), "{s}");
    insta::assert_snapshot!("history_base_raw_120x40", s);
    // Enter: the diff full size; Esc: back to the list.
    key(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(!s.contains("History: 5 entries"), "{s}");
    assert!(s.contains("+++ b/smart-pump.toml"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(shot(&app).contains("History: 5 entries"));
}

#[test]
fn time_travel_opens_a_revision_in_every_lens_and_comes_back() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 80, 24);
    keys(&mut app, "5G");
    keys(&mut app, "o");
    let s = shot(&app);
    assert!(s.contains("@ "), "{s}");
    assert!(s.contains("TIMELINE"), "{s}");
    // The initial commit had v2 (and over-the-air updates) in 2027-Q4.
    keys(&mut app, "2");
    let ota = |s: &str| {
        s.lines()
            .find(|l| l.contains("Over-the-air firmware updates"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let s = shot(&app);
    assert!(ota(&s).contains("2027-Q4"), "{s}");
    keys(&mut app, "O");
    let s = shot(&app);
    assert!(s.contains("working tree"), "{s}");
    assert!(ota(&s).contains("2028-Q1"), "{s}");
}

#[test]
fn a_release_detail_shows_its_history_in_the_words_of_log_entity() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 100, 40);
    // v2 is the second release on the Executive page.
    let mut found = false;
    for _ in 0..12 {
        key(&mut app, KeyCode::Enter);
        if shot(&app).contains("release Connected fleet") {
            keys(&mut app, "G");
            let s = shot(&app);
            assert!(
                s.contains("Target: v2: 2027-Q4 → 2028-Q1, slipped 1 quarter (1 slip)"),
                "{s}"
            );
            insta::assert_snapshot!("detail_ledger_v2_100x40", s);
            // The same lines as `roadlens log --entity v2 --lens exec`.
            let repo = roadlens::repo::Repo::discover(&root).expect("repo");
            let lens = roadlens::lens::Lens::Exec;
            let ledger =
                roadlens::diff::history::entity_ledger(&repo, TODAY, "v2", Some(&lens), None)
                    .expect("walk")
                    .expect("a ledger");
            for l in ledger.lines() {
                assert!(s.contains(&l.text), "{:?} not on screen:\n{s}", l.text);
            }
            found = true;
            break;
        }
        key(&mut app, KeyCode::Esc);
        keys(&mut app, "j");
    }
    assert!(found);
}

// ------------------------------------------------------------ one vocabulary

/// `roadlens ARGS` in `dir` (today pinned, no user git config), with
/// these environment variables (colour: `NO_COLOR`, `CLICOLOR_FORCE`).
fn cli_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let home = tempfile::tempdir().expect("home");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_roadlens"));
    cmd.args(args)
        .current_dir(dir)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.path().join("gitconfig"))
        .env("ROADLENS_TODAY", "2027-05-10")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run roadlens");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `roadlens ARGS` in `dir`, without colour.
fn cli(dir: &Path, args: &[&str]) -> String {
    cli_env(dir, args, &[("NO_COLOR", "1")])
}

/// The line of `text` that contains `needle`, trimmed.
fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .map(|l| l.trim_matches([' ', '"']).trim_end())
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

#[test]
fn the_cli_and_the_tui_say_the_same_words_for_the_same_data() {
    let (_dir, root) = history_repo();
    // A slip and a health change: `diff` and the History tab.
    let cli_diff = cli(&root, &["diff", "HEAD~3", "HEAD~2"]);
    let mut app = app_at(&root, 160, 48);
    keys(&mut app, "5jjj");
    let tui = shot(&app);
    for needle in ["slipped", "health", "release v2"] {
        let words = line_with(&cli_diff, needle);
        assert!(tui.contains(words), "{words:?} not in the TUI:\n{tui}");
    }
    assert!(
        cli_diff.contains("» slipped by 1 quarter: 2027-Q4 → 2028-Q1"),
        "{cli_diff}"
    );
    // A metric and a release's facts: `show` and the Executive tab.
    let cli_show = cli(&root, &["show", "--lens", "exec"]);
    let app = app_at(&root, 160, 120);
    let tui = shot(&app);
    let metric = line_with(&cli_show, "Unplanned downtime per pump per year:");
    let value = metric.rsplit(": ").next().unwrap_or_default();
    assert_eq!(value, "41 → 28 hours");
    assert!(tui.contains(value), "{tui}");
    assert!(!tui.contains("41 hours"), "{tui}");
    let facts = line_with(&cli_show, "confidence medium · 2027-01 → 2027-Q3");
    assert!(tui.contains(facts), "{facts:?} not in the TUI:\n{tui}");
}

#[test]
fn in_progress_has_one_colour_in_the_cli_and_the_tui() {
    let dir = sample_dir();
    // The CLI: colour when forced (even into a pipe), never with NO_COLOR.
    let forced = cli_env(dir.path(), &["show"], &[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.contains("\u{1b}[36m◐ in-progress\u{1b}[0m"),
        "{forced:?}"
    );
    let piped = cli_env(dir.path(), &["show"], &[]);
    assert!(!piped.contains('\u{1b}'), "a pipe gets no colour");
    let off = cli_env(
        dir.path(),
        &["show"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!off.contains('\u{1b}'), "NO_COLOR wins");
    // The TUI: the same colour for the same status.
    let mut app = app_at(dir.path(), 80, 24);
    app.set_theme(Theme { color: true });
    let buf = buffer(&app, 80, 24);
    let glyph = buf
        .content()
        .iter()
        .find(|c| c.symbol() == "◐")
        .expect("an in-progress glyph");
    assert_eq!(glyph.fg, Color::Cyan);
}

#[test]
fn every_entity_detail_has_its_history_from_its_added() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 100, 60);
    // The Engineering tab's first cell holds a work item.
    keys(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "G");
    let s = shot(&app);
    assert!(s.contains("History"), "{s}");
    assert!(s.contains("Initial roadmap"), "{s}");
    assert!(s.contains("added: "), "{s}");
}

/// `roadlens log` in `dir` (sandboxed config), text.
fn log(dir: &Path, args: &[&str]) -> String {
    let home = dir.join(".git").join("roadlens-test-home");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_roadlens"))
        .current_dir(dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("ROADLENS_TODAY", "2027-05-10")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .arg("log")
        .args(args)
        .output()
        .expect("run roadlens");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn history_agrees_with_log_on_the_commit_after_a_broken_one() {
    let (_dir, root) = history_repo();
    // `log`: the fix is compared with the last version that parsed.
    let text = log(&root, &[]);
    let line = text
        .lines()
        .find(|l| l.contains("Provisioning tooling is now public"))
        .expect("listed");
    assert!(
        line.contains("(2 changes: 1 visibility, 1 changed)"),
        "{line}"
    );
    let json = log(&root, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let headline = v
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|e| e["summary"] == "Provisioning tooling is now public")
        })
        .and_then(|e| e["headline"].as_str())
        .expect("headline")
        .to_string();
    // The TUI: the same entry shows the same changes (no "cannot parse").
    let mut app = app_at(&root, 100, 30);
    keys(&mut app, "5j");
    let s = shot(&app);
    assert!(s.contains("Provisioning tooling is now public"), "{s}");
    assert!(!s.contains("cannot parse"), "{s}");
    assert!(s.contains("is now visible to sales"), "{s}");
    // The executive lens does not show customer values; all changes do.
    assert!(!s.contains("customer_value"), "{s}");
    for _ in 0..12 {
        if shot(&app).contains("filter: all changes") {
            break;
        }
        keys(&mut app, "f");
    }
    let s = shot(&app);
    assert!(s.contains("is now visible to sales"), "{s}");
    assert!(s.contains("customer_value"), "{s}");
    assert!(
        headline.contains("factory-provisioning"),
        "the same feature: {headline}"
    );
}

/// A repository whose roadmap file was renamed (and v2 slipped) in its
/// second commit.
fn renamed_repo() -> (tempfile::TempDir, PathBuf) {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    let repo = Repository::init(&root).expect("init");
    let v1 = sample_text();
    commit(&repo, &root, &v1, "Initial roadmap", 1_800_000_000);
    let v2 = v1.replacen("target = \"2027-Q4\"", "target = \"2028-Q1\"", 1);
    std::fs::remove_file(root.join("smart-pump.toml")).expect("rm");
    std::fs::write(root.join("pump.toml"), v2).expect("write");
    let mut index = repo.index().expect("index");
    index
        .remove_path(Path::new("smart-pump.toml"))
        .expect("remove");
    index.add_path(Path::new("pump.toml")).expect("add");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = Signature::new("Ada", "ada@example.com", &Time::new(1_800_086_400, 0)).expect("sig");
    let parent = repo.head().expect("head").peel_to_commit().expect("commit");
    repo.commit(
        Some("HEAD"),
        &sig,
        &sig,
        "Rename; slip v2",
        &tree,
        &[&parent],
    )
    .expect("commit");
    (dir, root)
}

#[test]
fn a_marked_base_follows_a_renamed_roadmap() {
    let (_dir, root) = renamed_repo();
    let mut app = app_at(&root, 100, 30);
    // Base: the initial commit; target: the rename.
    keys(&mut app, "5G ");
    keys(&mut app, "g");
    let s = shot(&app);
    assert!(s.contains("marked base"), "{s}");
    // The slip, and what it does to the schedule: v3 now depends on work
    // of a later release.
    assert!(s.contains("smart-pump.toml → pump.toml (3 changes)"), "{s}");
    assert!(s.contains("by 1 quarter: 2027-Q4 → 2028-Q1"), "{s}");
    assert!(
        s.contains("▲ schedule conflict: `failure-prediction` of release v3"),
        "{s}"
    );
    assert!(!s.contains("removed"), "{s}");
    // Its own diff (against its parent) says the same.
    keys(&mut app, " ");
    let s = shot(&app);
    assert!(s.contains("by 1 quarter: 2027-Q4 → 2028-Q1"), "{s}");
    // Its raw text names both paths, as `roadlens diff --raw` and git do.
    for _ in 0..16 {
        if shot(&app).contains("filter: all changes") {
            break;
        }
        keys(&mut app, "f");
    }
    keys(&mut app, "t");
    let s = shot(&app);
    assert!(
        s.contains("--- a/smart-pump.toml") && s.contains("+++ b/pump.toml"),
        "{s}"
    );
}

/// Stage `text` as the roadmap (as `git add` in another terminal would).
fn stage(root: &Path, text: &str) {
    let repo = Repository::open(root).expect("open");
    let mut index = repo.index().expect("index");
    let mut entry = index
        .get_path(Path::new("smart-pump.toml"), 0)
        .expect("in the index");
    entry.file_size = text.len() as u32;
    index
        .add_frombuffer(&entry, text.as_bytes())
        .expect("stage");
    index.write().expect("write index");
}

#[test]
fn history_follows_git_add_and_git_commit_made_elsewhere() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 100, 30);
    keys(&mut app, "5");
    assert!(shot(&app).contains("History: 5 entries"));
    // Stage part of the working tree's change (the rest stays unstaged): a
    // staged entry appears once the index changed.
    let head = std::fs::read_to_string(root.join("smart-pump.toml"))
        .expect("read")
        .replacen("confidence = \"medium\"", "confidence = \"low\"", 1);
    let staged = head.replacen("target = \"2028-Q1\"", "target = \"2028-Q2\"", 1);
    stage(&root, &staged);
    app.handle_msg(Msg::IndexChanged);
    app.settle();
    let s = shot(&app);
    assert!(s.contains("History: 6 entries"), "{s}");
    assert!(s.contains("staged"), "{s}");
    // Commit it: the commit is listed, the staged entry is gone.
    let repo = Repository::open(&root).expect("open");
    let mut index = repo.index().expect("index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let sig = Signature::new("Bo", "bo@example.com", &Time::new(1_800_345_600, 0)).expect("sig");
    let parent = repo.head().expect("head").peel_to_commit().expect("commit");
    repo.commit(Some("HEAD"), &sig, &sig, "Slip v2 again", &tree, &[&parent])
        .expect("commit");
    app.handle_msg(Msg::RefsChanged);
    app.settle();
    let s = shot(&app);
    assert!(s.contains("History: 6 entries"), "{s}");
    assert!(s.contains("Slip v2 again"), "{s}");
    assert!(!s.contains("staged"), "{s}");
    // `R` reloads by hand: a commit that no watcher reported shows.
    let edited = staged.replacen("target = \"2028-Q2\"", "target = \"2028-Q3\"", 1);
    std::fs::write(root.join("smart-pump.toml"), &edited).expect("write");
    stage(&root, &edited);
    let mut index = repo.index().expect("index");
    index.read(true).expect("re-read the index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let parent = repo.head().expect("head").peel_to_commit().expect("commit");
    repo.commit(Some("HEAD"), &sig, &sig, "Slip v2 to Q3", &tree, &[&parent])
        .expect("commit");
    assert!(!shot(&app).contains("Slip v2 to Q3"));
    keys(&mut app, "R");
    let s = shot(&app);
    assert!(s.contains("Slip v2 to Q3"), "{s}");
    assert!(
        s.contains("History: 6 entries"),
        "nothing uncommitted:\n{s}"
    );
}

#[test]
fn the_first_frame_says_loading_and_q_quits_before_the_roadmap_is_read() {
    let dir = sample_dir();
    let worker = roadlens::tui::Worker::inline(dir.path().to_path_buf(), TODAY);
    let mut app = App::new(dir.path().to_path_buf(), Theme::plain(), false, worker);
    let s = screen(&app, 80, 24);
    assert!(s.contains("loading the roadmaps"), "{s}");
    // Keys work while loading: `q` quits without waiting for it.
    app.handle_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    assert!(app.should_quit());
    // Once loaded, the lenses show.
    let mut app = App::new(
        dir.path().to_path_buf(),
        Theme::plain(),
        false,
        roadlens::tui::Worker::inline(dir.path().to_path_buf(), TODAY),
    );
    app.settle();
    assert!(screen(&app, 80, 24).contains("TIMELINE"));
}

// ------------------------------------------------------------ panic hook

/// The panic hook restores the terminal. Run in a child process (this test
/// binary again), so the hook and its output stay out of this process.
#[test]
fn the_panic_hook_restores_the_terminal() {
    if std::env::var_os("ROADLENS_PANIC_CHILD").is_some() {
        roadlens::tui::install_panic_hook();
        panic!("boom");
    }
    let exe = std::env::current_exe().expect("current exe");
    let out = std::process::Command::new(exe)
        .args([
            "the_panic_hook_restores_the_terminal",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ROADLENS_PANIC_CHILD", "1")
        .output()
        .expect("run child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("\u{1b}[?1049l"),
        "leaves the alternate screen: {stdout:?}"
    );
    assert!(
        stdout.contains("\u{1b}[?25h"),
        "shows the cursor: {stdout:?}"
    );
    assert!(
        stdout.contains("\u{1b}[?1000l"),
        "mouse capture off: {stdout:?}"
    );
    assert!(
        stderr.contains("boom"),
        "the panic is still reported: {stderr}"
    );
}

#[test]
fn a_narrow_terminal_shows_every_tab_and_cuts_the_title_with_an_ellipsis() {
    use ratatui::crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 40, 12);
    let s = shot(&app);
    let lines: Vec<&str> = s.lines().collect();
    // Every tab, by its short name when the full ones do not fit.
    for tab in ["1 Exec", "2 Sales", "3 Eng", "4 Layers", "5 History"] {
        assert!(lines[1].contains(tab), "{tab}:\n{s}");
    }
    keys(&mut app, "4");
    let s = shot(&app);
    assert!(
        s.lines()
            .next()
            .is_some_and(|l| l.contains("▸ Layer: Dev…")),
        "{s}"
    );
    // A click on a short label picks its tab.
    app.set_mouse(true);
    // (The tab bar is ASCII: a byte offset is a column.)
    let x = lines[1].find("5 History").expect("tab 5") as u16;
    app.handle_event(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x + 2,
        row: 1,
        modifiers: KeyModifiers::NONE,
    }));
    assert!(shot(&app).contains("▸ History"), "{}", shot(&app));
    // A title padded to its column gives way to the quarter after it.
    keys(&mut app, "2");
    let s = shot(&app);
    assert!(
        s.lines()
            .any(|l| l.contains("Built-in vibration sensing") && l.contains("-Q")),
        "{s}"
    );
    // The story map's release column: a status cut short says so.
    keys(&mut app, "3");
    let s = shot(&app);
    assert!(s.contains("◐ in-progre…"), "{s}");
    // Wide enough, the full titles.
    let app = app_at(dir.path(), 80, 24);
    assert!(shot(&app).contains("1 Executive   2 Sales   3 Engineering"));
}

/// Narrower than the measure, prose wraps at the width drawn: no words are
/// cut out of the middle of a sentence; a resize lays the page out again.
#[test]
fn prose_wraps_at_the_width_of_a_narrow_terminal() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 60, 15);
    // The detail of "Sealed, certified sensor module".
    keys(&mut app, "2");
    let s = shot(&app);
    assert!(s.contains("pressure washing"), "{s}");
    // (It was wrapped at 72 and cut at 60: "…pressure washing an…".)
    let lines: Vec<&str> = s.lines().collect();
    for l in &lines[2..lines.len() - 1] {
        assert!(!l.trim_end_matches([' ', '"']).ends_with('…'), "{s}");
    }
    // Wider again: the measure's lines, as a fresh start draws them.
    app.handle_event(ratatui::crossterm::event::Event::Resize(100, 30));
    let fresh = app_at(dir.path(), 100, 30);
    let mut fresh = fresh;
    keys(&mut fresh, "2");
    assert_eq!(shot(&app), shot(&fresh));
    // And narrow again: the same as a narrow start.
    app.handle_event(ratatui::crossterm::event::Event::Resize(50, 15));
    let mut narrow = app_at(dir.path(), 50, 15);
    keys(&mut narrow, "2");
    assert_eq!(shot(&app), shot(&narrow));
    // The quarter, the one time sales may say, is never cut.
    for l in shot(&narrow).lines() {
        assert!(!l.contains("202…"), "{l}");
    }
}

// ------------------------------------------------------------------ mouse

#[test]
fn the_mouse_is_off_unless_asked_for() {
    use ratatui::crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    let before = buffer(&app, 80, 24);
    assert!(!app.handle_event(mouse(MouseEventKind::ScrollDown, 10, 10)));
    assert!(!app.handle_event(mouse(MouseEventKind::Down(MouseButton::Left), 16, 1)));
    assert_eq!(buffer(&app, 80, 24), before);

    app.set_mouse(true);
    // Click "2 Sales" in the tab bar.
    assert!(app.handle_event(mouse(MouseEventKind::Down(MouseButton::Left), 16, 1)));
    assert!(shot(&app).contains("▸ Sales"));
    // The wheel moves the selection; a click selects the item under it.
    let top = buffer(&app, 80, 24);
    app.handle_event(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_ne!(buffer(&app, 80, 24), top);
    app.handle_event(mouse(MouseEventKind::Down(MouseButton::Left), 10, 5));
    key(&mut app, KeyCode::Enter);
    assert!(shot(&app).contains("Built-in vibration sensing"));
    key(&mut app, KeyCode::Esc);
    // Cells of the story map.
    keys(&mut app, "3");
    app.handle_event(mouse(MouseEventKind::Down(MouseButton::Left), 45, 13));
    key(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("layer") && s.contains("firmware"), "{s}");
}

// ------------------------------------------------------------- planning

/// A resize round trip gives the story map back as it was: the cursor's
/// cell kept, and scrolled from the top-left again for the size.
#[test]
fn the_story_map_comes_back_after_a_resize_round_trip() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "3llj");
    let before = shot(&app);
    app.handle_event(ratatui::crossterm::event::Event::Resize(60, 15));
    app.handle_event(ratatui::crossterm::event::Event::Resize(80, 24));
    assert_eq!(shot(&app), before);
}

#[test]
fn the_story_map_sums_effort_per_cell_and_stars_the_critical_chain() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    keys(&mut app, "3");
    let s = shot(&app);
    // Cell headers and the release's total.
    assert!(s.contains("Σ 48w"), "{s}");
    assert!(s.contains("Σ 77 weeks"), "{s}");
    // The critical chain: sensor board, EMC certification, pilot build.
    assert!(s.contains("Sensor board … ★"), "{s}");
    assert!(s.contains("Pilot build… ★"), "{s}");
    assert!(!s.contains("3-axis accelero… ★"), "{s}");
    // The info line of a critical card says it, with its slack.
    keys(&mut app, "j");
    let s = shot(&app);
    assert!(s.contains("★ critical · slack 3 weeks"), "{s}");
    // In colour, the chain is drawn in the warning colour too.
    let mut app = app_at(dir.path(), 80, 24);
    app.set_theme(Theme { color: true });
    keys(&mut app, "3");
    let buf = buffer(&app, 80, 24);
    let t = text(&buf);
    let row = t
        .lines()
        .position(|l| l.contains("Pilot build"))
        .expect("row");
    let col = t
        .lines()
        .nth(row)
        .unwrap()
        .chars()
        .position(|c| c == 'P')
        .unwrap();
    assert_eq!(buf[(col as u16, row as u16)].fg, Color::Yellow);
}

#[test]
fn d_shows_the_chains_of_the_selected_item_and_esc_goes_back() {
    let dir = sample_dir();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app_at(dir.path(), w, h);
        keys(&mut app, "3j");
        keys(&mut app, "d");
        let s = shot(&app);
        assert!(s.contains("sensor-board — Sensor board rev B"), "{s}");
        assert!(s.contains("UPSTREAM"), "{s}");
        assert!(s.contains("└─ accelerometer"), "{s}");
        assert!(s.contains("├─ emc-certification"), "{s}");
        insta::assert_snapshot!(format!("deps_sensor_board_{w}x{h}"), s);
        key(&mut app, KeyCode::Esc);
        assert!(shot(&app).contains("Σ 48w"));
    }
    // Cross-layer edges are marked.
    let mut app = app_at(dir.path(), 120, 40);
    keys(&mut app, "3/ingest vibration");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "d");
    let s = shot(&app);
    assert!(s.contains("threshold-engine"), "{s}");
    assert!(s.contains("(cross-layer)"), "{s}");
}

#[test]
fn sales_has_no_dependency_key() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 120, 24);
    keys(&mut app, "2");
    assert!(!shot(&app).contains("d deps"));
    let before = shot(&app);
    keys(&mut app, "d");
    assert_eq!(shot(&app), before);
    keys(&mut app, "1");
    assert!(shot(&app).contains("d deps"));
}

#[test]
fn c_shows_the_decision_canvas_of_the_whole_product_with_its_gaps() {
    let dir = sample_dir();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app_at(dir.path(), w, h);
        keys(&mut app, "4c");
        let s = shot(&app);
        assert!(s.contains("▸ Decision canvas"), "{s}");
        assert!(s.contains("business"), "{s}");
        assert!(s.contains("Communications"), "{s}");
        insta::assert_snapshot!(format!("canvas_{w}x{h}"), s);
    }
    let mut app = app_at(dir.path(), 80, 40);
    keys(&mut app, "4c");
    let s = shot(&app);
    assert!(
        s.contains("no business, technology, UX or data decision for Communications"),
        "{s}"
    );
    // The rows are items; then the decisions: Enter opens one.
    keys(&mut app, "/device identity");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("decision Device identity"), "{s}");
    assert!(s.contains("X.509 certificate per device"), "{s}");
    key(&mut app, KeyCode::Esc);
    // c again: back to the layer.
    keys(&mut app, "c");
    assert!(shot(&app).contains("Layer: Device hardware"));
    // Never from the sales tab.
    keys(&mut app, "2c");
    assert!(!shot(&app).contains("canvas"));
}

/// A narrow terminal keeps every area of the matrix (at 60 columns the
/// last two were cut off): the layer names give way first.
#[test]
fn the_canvas_matrix_keeps_every_area_on_a_narrow_terminal() {
    let dir = sample_dir();
    for w in [56, 60, 70] {
        let mut app = app_at(dir.path(), w, 24);
        keys(&mut app, "4c");
        let s = shot(&app);
        let head = s
            .lines()
            .find(|l| l.contains("business"))
            .unwrap_or_else(|| panic!("{s}"));
        for area in ["business", "tech", "UX", "data", "security", "standards"] {
            assert!(head.contains(area), "{w}: {area} missing: {s}");
        }
        let row = s
            .lines()
            .find(|l| l.starts_with("\"Device hardw"))
            .unwrap_or_else(|| panic!("{s}"));
        assert!(row.trim_end_matches(['"', ' ']).ends_with("?1"), "{w}: {s}");
    }
}

/// In the decision canvas, j/k reach the decisions listed under the matrix
/// and Enter opens one; Esc leaves the detail, then the canvas.
#[test]
fn the_canvas_opens_a_decision_with_enter() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 100, 40);
    keys(&mut app, "4c");
    assert!(shot(&app).contains("Decision canvas"), "{}", shot(&app));
    let mut found = false;
    for _ in 0..40 {
        keys(&mut app, "j");
        key(&mut app, KeyCode::Enter);
        let s = shot(&app);
        if s.lines().nth(2).is_some_and(|l| l.contains("decision")) {
            found = true;
            break;
        }
        key(&mut app, KeyCode::Esc);
    }
    assert!(found, "no decision detail reached:\n{}", shot(&app));
    assert!(
        shot(&app).contains("Vibration sensor type"),
        "{}",
        shot(&app)
    );
    // Esc: back to the canvas, then back to the layer pages.
    key(&mut app, KeyCode::Esc);
    assert!(shot(&app).contains("GAPS"), "{}", shot(&app));
    key(&mut app, KeyCode::Esc);
    assert!(!shot(&app).contains("GAPS"), "{}", shot(&app));
}

// ------------------------------------------------- sales: no ids, no days

/// The demo repository (`roadlens demo`) in a temp dir.
fn demo_repo() -> (tempfile::TempDir, roadlens::demo::DemoInfo) {
    sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let info = roadlens::demo::build_demo_repo(&dir.path().join("demo")).expect("demo");
    (dir, info)
}

/// Public feature ids of the demo: the sales lens names features by title.
const DEMO_FEATURE_IDS: [&str; 5] = [
    "vibration-sensing",
    "cmms-integration",
    "fleet-connectivity",
    "failure-prediction",
    "adaptive-thresholds",
];

/// A `YYYY-MM-DD` day anywhere in `s`.
fn has_day(s: &str) -> Option<String> {
    let c: Vec<char> = s.chars().collect();
    c.windows(10)
        .find(|w| {
            w.iter().enumerate().all(|(i, ch)| match i {
                4 | 7 => *ch == '-',
                _ => ch.is_ascii_digit(),
            })
        })
        .map(|w| w.iter().collect())
}

/// A sales screen names no commit (id or subject), no day, no feature id.
fn assert_sales_clean(s: &str, info: &roadlens::demo::DemoInfo) {
    for c in &info.commits {
        let id = c.id.to_string();
        assert!(
            !s.contains(&id[..7]),
            "sales shows commit {}:\n{s}",
            &id[..7]
        );
        assert!(!s.contains(c.summary), "sales shows {:?}:\n{s}", c.summary);
    }
    assert!(
        has_day(s).is_none(),
        "sales shows a day {:?}:\n{s}",
        has_day(s)
    );
    for id in DEMO_FEATURE_IDS {
        assert!(!s.contains(id), "sales shows the id {id}:\n{s}");
    }
}

#[test]
fn the_sales_timeline_names_lapse_steps_and_baselines_by_quarter() {
    let (_dir, info) = demo_repo();
    let mut app = app_at(&info.root, 80, 24);
    keys(&mut app, "2v");
    assert_sales_clean(&shot(&app), &info);
    // The time-lapse: each step by its quarter.
    keys(&mut app, "<");
    let s = shot(&app);
    assert!(s.contains("◂ 1/"), "{s}");
    assert!(s.contains("2027-Q2"), "{s}");
    assert_sales_clean(&s, &info);
    keys(&mut app, "<<<");
    assert_sales_clean(&shot(&app), &info);
    keys(&mut app, ">>>>");
    // The baseline picker: quarters, still one choice per revision.
    keys(&mut app, "b");
    let s = shot(&app);
    assert!(s.contains("the roadmap as of then"), "{s}");
    assert_sales_clean(&s, &info);
    keys(&mut app, "G");
    assert_sales_clean(&shot(&app), &info);
    keys(&mut app, "gj");
    key(&mut app, KeyCode::Enter);
    let s = shot(&app);
    assert!(s.contains("baseline: 20"), "{s}");
    assert_sales_clean(&s, &info);
}

#[test]
fn the_sales_detail_and_search_show_no_ids_and_history_by_quarter() {
    let (_dir, info) = demo_repo();
    let mut app = app_at(&info.root, 100, 40);
    keys(&mut app, "2");
    assert_sales_clean(&shot(&app), &info);
    // Every feature's detail: no id line; its history by quarter, as
    // `roadlens log --entity ID --lens sales` says it.
    let mut histories = 0;
    for _ in 0..12 {
        key(&mut app, KeyCode::Enter);
        keys(&mut app, "G");
        let s = shot(&app);
        assert_sales_clean(&s, &info);
        if s.contains("History") && s.contains("added") {
            histories += 1;
        }
        key(&mut app, KeyCode::Esc);
        keys(&mut app, "j");
    }
    assert!(histories > 0);
    // Search: rows without ids, and ids are not what it finds.
    keys(&mut app, "/orders");
    let s = shot(&app);
    assert!(s.contains("maintenance system"), "{s}");
    assert_sales_clean(&s, &info);
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "/");
    assert_sales_clean(&shot(&app), &info);
}

/// Under the sales filter, History's pane names each side by its quarter,
/// a parent that changed no roadmap file (not listed, so no day known)
/// without its commit id, and a file by its roadmap's title.
#[test]
fn the_sales_history_names_no_parent_by_its_commit() {
    let (_dir, info) = demo_repo();
    let mut app = app_at(&info.root, 80, 24);
    keys(&mut app, "25");
    let hex_word = |l: &str| {
        l.split_whitespace()
            .any(|w| w.len() >= 7 && w.chars().all(|c| c.is_ascii_hexdigit()))
    };
    let mut seen = 0;
    for _ in 0..20 {
        let s = shot(&app);
        assert!(s.contains("filter: sales lens"), "{s}");
        for l in s.lines().filter(|l| l.contains(" → ")) {
            assert!(!hex_word(l), "a commit id under sales: {l}\n{s}");
        }
        // A file by its roadmap's title, never its path (a path can name
        // a release), as `diff --lens sales` names it.
        assert!(!s.contains("roadmaps/"), "a path under sales:\n{s}");
        seen += usize::from(s.contains("an earlier version"));
        keys(&mut app, "j");
    }
    assert!(seen > 0, "a parent that changed no roadmap file");
}

/// A commit message's lines and a detail's history wrap on a narrow
/// screen: no word is lost off the edge.
#[test]
fn commit_messages_wrap_on_a_narrow_screen() {
    let (_dir, info) = demo_repo();
    let mut app = app_at(&info.root, 60, 30);
    keys(&mut app, "5");
    let mut found = None;
    for _ in 0..8 {
        let s = shot(&app);
        if s.contains("Buyers do not say CMMS") {
            found = Some(s);
            break;
        }
        keys(&mut app, "j");
    }
    let s = found.expect("the rename's message");
    // Its first line, joined back from the screen's lines.
    let text: String = s
        .lines()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Buyers do not say CMMS, they say work orders. Same feature, same id,"),
        "{s}"
    );
}

/// A detail scrolled to its end shows its end after the screen narrows
/// (its lines wrap into more lines: the scroll moves with them).
#[test]
fn a_detail_keeps_its_place_when_the_screen_narrows() {
    let dir = sample_dir();
    let mut app = app_at(dir.path(), 80, 24);
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "G");
    let last = |s: &str| {
        s.lines()
            .rev()
            .nth(1)
            .map(|l| l.trim_matches('"').trim().to_string())
            .unwrap_or_default()
    };
    let end = last(&shot(&app));
    assert!(!end.is_empty());
    app.handle_event(ratatui::crossterm::event::Event::Resize(50, 15));
    let s = shot(&app);
    let words: Vec<&str> = end.split_whitespace().rev().take(1).collect();
    assert!(s.contains(words[0]), "{end:?}\n{s}");
}

/// A detail's heading wraps: a long title was cut at the pane's edge, and
/// the sales detail (no id field, no other place) never showed it whole.
#[test]
fn a_long_title_is_shown_whole_in_its_detail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = "Built-in vibration sensing that learns each pump's normal signature over its first thirty days in the field";
    let text = sample_text().replacen("Built-in vibration sensing", long, 1);
    std::fs::write(dir.path().join("smart-pump.toml"), text).expect("write");
    for tab in ["1", "2"] {
        let mut app = app_at(dir.path(), 80, 24);
        keys(&mut app, tab);
        keys(&mut app, "/thirty days");
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::Enter);
        let s = shot(&app);
        assert!(s.contains("feature Built-in vibration"), "{tab}: {s}");
        assert!(s.contains("in the field"), "{tab}: {s}");
    }
}

/// "Nothing this lens shows changed" wraps in a narrow diff pane (it was cut:
/// "f changes the fil…").
#[test]
fn nothing_changed_for_a_filter_is_said_whole() {
    let (_dir, root) = history_repo();
    let mut app = app_at(&root, 80, 24);
    keys(&mut app, "5");
    for _ in 0..10 {
        if shot(&app).contains("nothing the decision canvas shows changed") {
            break;
        }
        keys(&mut app, "f");
    }
    let s = shot(&app);
    assert!(
        s.contains("nothing the decision canvas shows changed"),
        "{s}"
    );
    let flat = s
        .lines()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("f changes the filter)"), "{s}");
}
