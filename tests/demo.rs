//! `roadlens demo`: the binary builds a repository with a realistic history.

use std::path::Path;
use std::process::{Command, Output};

const ROADMAP: &str = "roadmaps/smart-pump.toml";

/// Keep the developer's git configuration out of these tests.
fn sandbox_git() {
    for level in [
        git2::ConfigLevel::System,
        git2::ConfigLevel::XDG,
        git2::ConfigLevel::Global,
    ] {
        // SAFETY: called before any other git2 use in the test, and every test
        // sets the same (empty) paths.
        #[allow(unsafe_code)]
        unsafe { git2::opts::set_search_path(level, "") }.expect("sandbox git config");
    }
}

fn roadlens(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roadlens"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TMPDIR", home)
        .env("ROADLENS_TODAY", "2027-05-10")
        .env("NO_COLOR", "1")
        .output()
        .expect("run roadlens")
}

fn roadmap_at(repo: &git2::Repository, commit: &git2::Commit) -> String {
    let tree = commit.tree().expect("tree");
    let entry = tree
        .get_path(Path::new(ROADMAP))
        .expect("roadmap in commit");
    let blob = repo.find_blob(entry.id()).expect("blob");
    String::from_utf8(blob.content().to_vec()).expect("utf-8")
}

#[test]
fn demo_builds_a_repository_with_history_and_uncommitted_edits() {
    sandbox_git();
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("pump-demo");
    let out = roadlens(&["demo", dir.to_str().expect("utf-8 path")], home.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");

    // The output names the repository and shows the uncommitted edits.
    assert!(stdout.contains(dir.to_str().expect("utf-8")), "{stdout}");
    assert!(stdout.contains("Uncommitted changes"), "{stdout}");
    assert!(
        stdout.contains("2028-Q2"),
        "the v3 slip is shown:\n{stdout}"
    );
    assert!(
        stdout.contains("v1 slips from 2027-Q2 to 2027-Q3"),
        "the history is shown:\n{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no escape sequences on a pipe");

    let repo = git2::Repository::open(&dir).expect("a git repository");
    let head = repo.head().expect("HEAD");
    assert_eq!(head.name_bytes(), b"refs/heads/main");

    // History: at least 12 commits by at least 3 authors, times increasing.
    let mut walk = repo.revwalk().expect("revwalk");
    walk.push_head().expect("push HEAD");
    let mut commits: Vec<git2::Commit> = walk
        .map(|id| repo.find_commit(id.expect("oid")).expect("commit"))
        .collect();
    commits.reverse(); // oldest first
    assert!(commits.len() >= 12, "{} commits", commits.len());
    let mut authors: Vec<String> = commits
        .iter()
        .map(|c| String::from_utf8_lossy(c.author().name_bytes()).into_owned())
        .collect();
    authors.sort();
    authors.dedup();
    assert!(authors.len() >= 3, "{authors:?}");
    for pair in commits.windows(2) {
        assert!(pair[0].time().seconds() < pair[1].time().seconds());
        assert_eq!(pair[1].parent_id(0).ok(), Some(pair[0].id()));
    }

    // One commit's roadmap is broken TOML and the next one fixes it.
    let parses: Vec<bool> = commits
        .iter()
        .map(|c| toml::from_str::<toml::Table>(&roadmap_at(&repo, c)).is_ok())
        .collect();
    let broken: Vec<usize> = (0..parses.len()).filter(|&i| !parses[i]).collect();
    assert_eq!(broken.len(), 1, "{parses:?}");
    assert!(parses.get(broken[0] + 1) == Some(&true), "{parses:?}");

    // Some commit touches no roadmap file at all.
    assert!(
        commits.windows(2).any(|p| {
            let (a, b) = (p[0].tree().expect("tree"), p[1].tree().expect("tree"));
            let diff = repo
                .diff_tree_to_tree(Some(&a), Some(&b), None)
                .expect("diff");
            diff.deltas().all(|d| {
                d.new_file()
                    .path()
                    .is_some_and(|p| !p.starts_with("roadmaps"))
            })
        }),
        "an unrelated commit"
    );

    // HEAD's roadmap loads cleanly.
    let head_commit = commits.last().expect("a commit");
    let text = roadmap_at(&repo, head_commit);
    let loaded = roadlens::model::load_str(ROADMAP, &text, jiff::civil::date(2027, 5, 10));
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics(false));

    // The roadmap has staged and unstaged edits; nothing else is dirty.
    let statuses = repo.statuses(None).expect("statuses");
    let dirty: Vec<(String, git2::Status)> = statuses
        .iter()
        .map(|e| (e.path().unwrap_or("?").to_string(), e.status()))
        .collect();
    assert_eq!(
        dirty,
        vec![(
            ROADMAP.to_string(),
            git2::Status::INDEX_MODIFIED | git2::Status::WT_MODIFIED
        )]
    );
    let on_disk = std::fs::read_to_string(dir.join(ROADMAP)).expect("read roadmap");
    let loaded = roadlens::model::load_str(ROADMAP, &on_disk, jiff::civil::date(2027, 5, 10));
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics(false));
}

/// Every `roadlens` command in the README's examples (the lines of its code
/// blocks that start with `roadlens`, without a trailing comment, pipe or
/// redirection), as arguments.
fn readme_examples() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let mut fenced = false;
    let mut out = vec![];
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let line = line.trim();
        if !fenced || !line.starts_with("roadlens ") {
            continue;
        }
        let cmd = [" #", " | ", " > "]
            .iter()
            .fold(line, |l, cut| l.split(cut).next().unwrap_or(l));
        let args: Vec<String> = cmd.split_whitespace().skip(1).map(String::from).collect();
        // The TUI and the demo itself are not examples to run here.
        if !args.is_empty() && args[0] != "demo" {
            out.push(args);
        }
    }
    out
}

/// `roadlens demo DIR` keeps a repository where the README's examples work:
/// it has the tags they name (the quarterly reviews `v2027.1` and
/// `v2027.2`, annotated, on commits of its history) and the roadmap path
/// they name; and it says how to take the demo's today there.
#[test]
fn every_readme_example_works_in_the_kept_demo() {
    sandbox_git();
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("pump-demo");
    let out = roadlens(&["demo", dir.to_str().expect("utf-8 path")], home.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    // Commands run there later take the real date unless told.
    assert!(
        stdout.contains("export ROADLENS_TODAY=2027-05-10"),
        "{stdout}"
    );
    assert!(stdout.contains("v2027.1 and v2027.2"), "{stdout}");

    let repo = git2::Repository::open(&dir).expect("a git repository");
    let mut walk = repo.revwalk().expect("revwalk");
    walk.push_head().expect("push HEAD");
    let history: Vec<git2::Oid> = walk.map(|id| id.expect("oid")).collect();
    for (name, day) in [("v2027.1", "2027-01-11"), ("v2027.2", "2027-03-22")] {
        let tag = repo
            .revparse_single(&format!("refs/tags/{name}"))
            .expect(name)
            .peel_to_tag()
            .expect("an annotated tag");
        let commit = tag
            .target()
            .expect("target")
            .peel_to_commit()
            .expect("commit");
        assert!(history.contains(&commit.id()), "{name}");
        let when = jiff::Timestamp::from_second(commit.time().seconds())
            .expect("time")
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string();
        assert_eq!(when, day, "{name}");
    }

    let examples = readme_examples();
    let joined: Vec<String> = examples.iter().map(|a| a.join(" ")).collect();
    for named in [
        "diff v2027.2",
        "diff HEAD~5 -- roadmaps/smart-pump.toml",
        "timeline --baseline v2027.1",
        "report --lens exec --since v2027.1",
        "report --lens layer:firmware --at v2027.2 -o firmware.html",
    ] {
        assert!(joined.iter().any(|j| j == named), "{named}: {joined:?}");
    }
    for args in &examples {
        let o = Command::new(env!("CARGO_BIN_EXE_roadlens"))
            .args(args)
            .current_dir(&dir)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("TMPDIR", home.path())
            .env("ROADLENS_TODAY", "2027-05-10")
            .env("NO_COLOR", "1")
            .env_remove("ROADLENS_REPORT_DIR")
            .output()
            .expect("run roadlens");
        // `--exit-code` exits 1: the demo has uncommitted changes.
        let want = if args.iter().any(|a| a == "--exit-code") {
            1
        } else {
            0
        };
        assert_eq!(
            o.status.code(),
            Some(want),
            "roadlens {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            !o.stdout.is_empty(),
            "roadlens {} printed nothing",
            args.join(" ")
        );
    }
    // What the examples compare with is in the output.
    let o = Command::new(env!("CARGO_BIN_EXE_roadlens"))
        .args(["diff", "v2027.1"])
        .current_dir(&dir)
        .env("ROADLENS_TODAY", "2027-05-10")
        .env("NO_COLOR", "1")
        .output()
        .expect("run roadlens");
    let diff = String::from_utf8_lossy(&o.stdout);
    assert!(
        diff.starts_with("roadmap diff v2027.1 → working tree"),
        "{diff}"
    );
    assert!(
        diff.contains("slipped by 1 quarter: 2027-Q2 → 2027-Q3"),
        "{diff}"
    );
}

#[test]
fn demo_refuses_a_non_empty_directory_and_leaves_it_alone() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("busy");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    let out = roadlens(&["demo", dir.to_str().expect("utf-8")], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.txt")]);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("read"),
        "mine"
    );
}

#[test]
fn demo_without_dir_removes_its_temporary_repository() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).expect("mkdir");
    let out = Command::new(env!("CARGO_BIN_EXE_roadlens"))
        .arg("demo")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TMPDIR", &tmp)
        .output()
        .expect("run roadlens");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("temporary"), "{stdout}");
    assert!(stdout.contains("Uncommitted changes"), "{stdout}");
    let left: Vec<_> = std::fs::read_dir(&tmp).expect("read_dir").collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
