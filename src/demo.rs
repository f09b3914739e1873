//! The demo repository behind `roadlens demo`: a new git repository holding
//! `roadmaps/smart-pump.toml` with a realistic, fixed history (several
//! authors over eight months: slips, moves, renames, a broken commit and its
//! fix), annotated tags for its quarterly reviews (`v2027.1`, `v2027.2`: the
//! revisions the README's examples compare with) and uncommitted edits on
//! top.
//!
//! The history is derived from the sample roadmap: each step lists the edits
//! it made, and the earlier versions are computed by undoing those edits one
//! step at a time, starting from the sample. Every undo must match exactly
//! (a text found once), so the demo fails loudly instead of drifting when the
//! sample changes; the last commit equals the sample byte for byte.
//!
//! Writes only into the new repository; identities and times are fixed (no
//! git config is consulted for them).

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, Time};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The day the demo's story is told on: a week after its last commit
/// (2027-05-03). `roadlens demo` takes it as today unless `ROADLENS_TODAY`
/// is set, so horizons, "shipped" and the time-lapse read as the story
/// does, whatever the clock says.
pub const STORY_DAY: jiff::civil::Date = jiff::civil::date(2027, 5, 10);

/// The sample roadmap the history ends with.
pub const SAMPLE: &str = include_str!("../sample-roadmaps/smart-pump.toml");

/// Where the roadmap lives inside the demo repository.
pub const ROADMAP_PATH: &str = "roadmaps/smart-pump.toml";

/// What [`build_demo_repo`] made.
#[derive(Clone, Debug)]
pub struct DemoInfo {
    /// The repository's working directory.
    pub root: PathBuf,
    /// The roadmap's path inside the repository (`/`-separated).
    pub roadmap: &'static str,
    /// The commits, oldest first.
    pub commits: Vec<DemoCommit>,
    /// The review tags, oldest first: (name, the commit it names).
    pub tags: Vec<(&'static str, git2::Oid)>,
}

/// One commit of the demo history.
#[derive(Clone, Debug)]
pub struct DemoCommit {
    pub id: git2::Oid,
    pub author: &'static str,
    /// The message's first line.
    pub summary: &'static str,
    /// The roadmap in this commit is not valid TOML (on purpose).
    pub broken: bool,
}

// ---------------------------------------------------------------------------
// People and time
// ---------------------------------------------------------------------------

struct Person {
    name: &'static str,
    email: &'static str,
    /// UTC offset in minutes.
    offset: i32,
}

const PM: Person = Person {
    name: "Dana Lizalde",
    email: "dana.lizalde@smartpump.example",
    offset: 60,
};
const HW: Person = Person {
    name: "Henrik Olsen",
    email: "henrik.olsen@smartpump.example",
    offset: 60,
};
const FW: Person = Person {
    name: "Priya Raman",
    email: "priya.raman@smartpump.example",
    offset: 330,
};
const CLOUD: Person = Person {
    name: "Marcus Chen",
    email: "marcus.chen@smartpump.example",
    offset: -480,
};

/// Seconds since the epoch of a local time at a fixed UTC offset (minutes).
fn epoch(date: (i16, i8, i8, i8, i8), offset_min: i32) -> Result<i64, String> {
    let (y, mo, d, h, mi) = date;
    let civil = jiff::civil::DateTime::new(y, mo, d, h, mi, 0, 0).map_err(|e| e.to_string())?;
    let offset = jiff::tz::Offset::from_seconds(offset_min * 60).map_err(|e| e.to_string())?;
    let ts = offset.to_timestamp(civil).map_err(|e| e.to_string())?;
    Ok(ts.as_second())
}

// ---------------------------------------------------------------------------
// Blocks and edits
// ---------------------------------------------------------------------------

fn release(id: &str) -> String {
    format!("[[release]]\nid = \"{id}\"\n")
}
fn feature(id: &str) -> String {
    format!("[[feature]]\nid = \"{id}\"\n")
}
fn work(id: &str) -> String {
    format!("  [[feature.work]]\n  id = \"{id}\"\n")
}
fn metric(id: &str) -> String {
    format!("[[metric]]\nid = \"{id}\"\n")
}
fn decision(id: &str) -> String {
    format!("[[decision]]\nid = \"{id}\"\n")
}

/// What one commit changed in the roadmap, stated forwards.
enum Edit {
    /// `old` became `new`, inside the block starting with `within` (or anywhere).
    Set {
        within: Option<String>,
        old: &'static str,
        new: &'static str,
    },
    /// The block starting with this head was added.
    Add(String),
    /// This literal block was removed; it stood just before `before`.
    Drop {
        block: &'static str,
        before: &'static str,
    },
    /// The block starting with `head` moved here from just before `before`,
    /// and `old` became `new` inside it.
    Move {
        head: String,
        before: &'static str,
        old: &'static str,
        new: &'static str,
    },
}

fn set(within: String, old: &'static str, new: &'static str) -> Edit {
    Edit::Set {
        within: Some(within),
        old,
        new,
    }
}

/// The single occurrence of `needle` in `hay`, or an error naming it.
fn find_once(hay: &str, needle: &str) -> Result<usize, String> {
    let mut hits = hay.match_indices(needle).map(|(i, _)| i);
    match (hits.next(), hits.next()) {
        (Some(i), None) => Ok(i),
        (None, _) => Err(format!("demo: text not found: {needle:?}")),
        (Some(_), Some(_)) => Err(format!("demo: text found more than once: {needle:?}")),
    }
}

/// The byte range of the block starting with `head`: up to the next line
/// that opens a table or a comment (for an indented head such as a work item:
/// the next line whose first non-blank character is `[` or `#`; for a head at
/// column 0: the next line starting with `[[` or `#`). Trailing blank lines
/// belong to the block.
fn block(text: &str, head: &str) -> Result<Range<usize>, String> {
    let start = find_once(text, head)?;
    if start > 0 && !text[..start].ends_with('\n') {
        return Err(format!("demo: block head not at a line start: {head:?}"));
    }
    let indented = head.starts_with(' ');
    let first_line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let mut pos = first_line_end;
    while pos < text.len() {
        let line = &text[pos..];
        let boundary = if indented {
            let t = line.trim_start_matches(' ');
            t.starts_with('[') || t.starts_with('#')
        } else {
            line.starts_with("[[") || line.starts_with('#')
        };
        if boundary {
            break;
        }
        pos = line.find('\n').map_or(text.len(), |i| pos + i + 1);
    }
    Ok(start..pos)
}

/// Replace the single `from` inside `range` of `text` by `to`.
fn replace_in(text: &mut String, range: Range<usize>, from: &str, to: &str) -> Result<(), String> {
    let at = range.start + find_once(&text[range.clone()], from)?;
    text.replace_range(at..at + from.len(), to);
    Ok(())
}

fn scope(text: &str, within: &Option<String>) -> Result<Range<usize>, String> {
    match within {
        Some(head) => block(text, head),
        None => Ok(0..text.len()),
    }
}

impl Edit {
    /// Turn the text after this edit into the text before it.
    fn undo(&self, text: &mut String) -> Result<(), String> {
        match self {
            Edit::Set { within, old, new } => {
                let range = scope(text, within)?;
                replace_in(text, range, new, old)?;
                // The old text must be as unambiguous as the new one.
                find_once(&text[scope(text, within)?], old).map(|_| ())
            }
            Edit::Add(head) => {
                let range = block(text, head)?;
                text.replace_range(range, "");
                Ok(())
            }
            Edit::Drop { block: b, before } => {
                if text.contains(b) {
                    return Err(format!("demo: dropped block still present: {b:?}"));
                }
                let at = find_once(text, before)?;
                text.insert_str(at, b);
                Ok(())
            }
            Edit::Move {
                head,
                before,
                old,
                new,
            } => {
                let range = block(text, head)?;
                let mut moved = text[range.clone()].to_string();
                text.replace_range(range, "");
                let all = 0..moved.len();
                replace_in(&mut moved, all, new, old)?;
                let at = find_once(text, before)?;
                text.insert_str(at, &moved);
                Ok(())
            }
        }
    }

    /// Apply this edit forwards (used for the uncommitted edits on top).
    fn apply(&self, text: &mut String) -> Result<(), String> {
        match self {
            Edit::Set { within, old, new } => {
                let range = scope(text, within)?;
                replace_in(text, range, old, new)
            }
            _ => Err("demo: only Set edits apply forwards".into()),
        }
    }
}

// ---------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------

struct Step {
    who: Person,
    /// Local time: year, month, day, hour, minute.
    when: (i16, i8, i8, i8, i8),
    message: &'static str,
    edits: Vec<Edit>,
    /// Other files this commit writes (path, content).
    files: Vec<(&'static str, &'static str)>,
    /// The roadmap is broken on purpose in this commit.
    broken: bool,
}

const README: &str = "\
# Smart Pump roadmap (roadlens demo)

This repository was generated by `roadlens demo`. It holds one roadmap,
`roadmaps/smart-pump.toml`, and eight months of its history as a product
team would write it: a product manager, the hardware, firmware and cloud
leads. Names, dates and companies are made up.

The history tells a story: the first plan; new releases and features;
v1 slipping a quarter when the EMC lab moved its slot; self-tuning alerts
moving from v2 to v3; an internal feature made public for sales; a feature
dropped; a rename; status and health changes as work ships; v3 pulled in;
a commit with broken TOML and the commit that fixed it; and a commit that
touches no roadmap at all. On top of the last commit there are uncommitted
edits (v3 slips again, a commitment firms up) and one staged edit (a metric).

Try, from this directory:

    roadlens                        # the TUI: lenses, history, diffs
    roadlens log                    # one line per commit, with what changed
    roadlens diff                   # what the uncommitted edits change
    roadlens diff --staged          # only what is staged
    roadlens diff HEAD~8 --lens sales
    roadlens log --entity v1        # every target v1 ever had
    roadlens check                  # validate the roadmap
";

const FIRMWARE_NOTES: &str = "\
# Sensor board rev B: firmware bring-up notes

- SPI to the accelerometer runs at 8 MHz; 1 kHz sampling leaves 70% CPU idle.
- RMS, peak and crest factor per axis every 10 s; summaries match the bench
  analyser within 2%.
- Open: the RS-485 driver drops frames above 115200 baud on long cables.
  Hardware is checking termination on rev B.
";

const NATIVE_APP: &str = r#"[[feature]]
id = "native-app"
title = "Native mobile app for operators"
release = "v2"
themes = ["remote-fleet-ops"]
status = "planned"
commitment = "exploring"
customer_value = "Check pump health and acknowledge alerts from an iOS or Android app."
business_value = "Asked for by the field operators of two pilot customers."
tags = ["mobile"]

  [[feature.work]]
  id = "mobile-app"
  layer = "apps"
  title = "iOS and Android app with push notifications"
  status = "planned"
  estimate = "4 sprints"
  depends_on = ["alert-inbox"]

"#;

const V3_HEADER: &str = "# --- v3: predictive maintenance";

fn steps() -> Vec<Step> {
    let planned = "\nstatus = \"planned\"\n";
    let in_progress = "\nstatus = \"in-progress\"\n";
    let w_planned = "status = \"planned\"\n";
    let w_in_progress = "status = \"in-progress\"\n";
    let w_shipped = "status = \"shipped\"\n";
    vec![
        Step {
            who: PM,
            when: (2026, 9, 7, 9, 30),
            message: "Start the Smart Pump roadmap: v1 vibration monitoring, v2 connected fleet\n\n\
                First cut after the September strategy offsite. v1 is almost all\n\
                hardware (a sensor in every new pump), so it is long; v2 brings our\n\
                own cellular link and over-the-air updates. Dates are a first guess\n\
                until each lead has reviewed their layer.\n",
            edits: vec![],
            files: vec![("README.md", README)],
            broken: false,
        },
        Step {
            who: HW,
            when: (2026, 9, 21, 14, 5),
            message: "v1: add EMC certification, the pilot build and factory provisioning\n\n\
                Municipal water customers only buy CE/FCC certified modules, and the\n\
                contract manufacturer will not start the pilot build without the\n\
                certificate. Factory provisioning is internal tooling, but the pilot\n\
                build needs its test fixture, so it belongs on the roadmap.\n",
            edits: vec![
                Edit::Add(work("emc-certification")),
                Edit::Add(work("pilot-build")),
                Edit::Add(feature("factory-provisioning")),
                Edit::Add("[release.extra]\ncontract_manufacturer".into()),
                Edit::Add(decision("atex-certification")),
            ],
            files: vec![],
            broken: false,
        },
        Step {
            who: PM,
            when: (2026, 10, 5, 11, 0),
            message: "Plan v3 Predictive maintenance around bearing failure prediction\n\n\
                Every pilot customer asked the same thing: warn us weeks before a\n\
                bearing fails, not when the pump is already shaking. Target H1 2028,\n\
                low confidence until we have fleet data to train on. Two decisions\n\
                stay open for the next review: raw data retention and Predict pricing.\n",
            edits: vec![
                Edit::Add(release("v3")),
                Edit::Add(V3_HEADER.into()),
                Edit::Add(feature("failure-prediction")),
                Edit::Add(decision("raw-data-retention")),
                Edit::Add(decision("predict-pricing")),
            ],
            files: vec![],
            broken: false,
        },
        Step {
            who: CLOUD,
            when: (2026, 10, 19, 8, 40),
            message: "Cloud estimates for OTA campaigns; add the internal fleet ops dashboard\n\n\
                Support asked for one place to see connectivity and firmware state of\n\
                every pump. It is internal tooling, so it stays out of the sales lens.\n\
                OTA campaigns grow to 3 sprints: staged rollouts need an automatic\n\
                halt when the failure rate climbs.\n",
            edits: vec![
                set(
                    work("ota-campaigns"),
                    "estimate = \"2 sprints\"\n",
                    "estimate = \"3 sprints\n",
                ),
                Edit::Add(feature("ops-dashboard")),
            ],
            files: vec![],
            broken: true,
        },
        Step {
            who: CLOUD,
            when: (2026, 10, 20, 9, 15),
            message: "Fix the unterminated string in the ota-campaigns estimate\n\n\
                roadlens check failed in CI on the previous commit: a missing closing\n\
                quote made the whole file unreadable. No content change.\n",
            edits: vec![set(
                work("ota-campaigns"),
                "estimate = \"3 sprints\n",
                "estimate = \"3 sprints\"\n",
            )],
            files: vec![],
            broken: false,
        },
        Step {
            who: FW,
            when: (2026, 11, 2, 18, 20),
            message: "Firmware bring-up notes for sensor board rev B\n\n\
                Numbers from the first week on the bench, so hardware can check the\n\
                RS-485 termination before the next spin.\n",
            edits: vec![],
            files: vec![("notes/firmware-bringup.md", FIRMWARE_NOTES)],
            broken: false,
        },
        Step {
            who: PM,
            when: (2026, 11, 16, 10, 45),
            message: "Add v4 Service ecosystem for the enterprise RFPs\n\n\
                Three open RFPs name integration with their maintenance system as a\n\
                requirement, and energy reporting is our answer to the incumbents.\n\
                No dates yet: \"later\" until v3 is under way. Also adds monthly\n\
                active devices, the number the board asked for.\n",
            edits: vec![
                set(
                    "[roadmap]\n".into(),
                    "updated = 2026-09-07",
                    "updated = 2026-11-16",
                ),
                Edit::Add(release("v4")),
                Edit::Add("# --- v4: later".into()),
                Edit::Add(feature("cmms-integration")),
                Edit::Add(feature("energy-insights")),
                Edit::Add(metric("monthly-active-devices")),
            ],
            files: vec![],
            broken: false,
        },
        Step {
            who: PM,
            when: (2026, 12, 7, 15, 10),
            message: "Move self-tuning alert thresholds from v2 to v3\n\n\
                Baselines need 30 days of data per pump over our own link, which only\n\
                exists once v2 ships; roadlens check also warned that baseline learning\n\
                ended after v2's target. v2 stays focused on connectivity and OTA.\n",
            edits: vec![Edit::Move {
                head: feature("adaptive-thresholds"),
                before: V3_HEADER,
                old: "release = \"v2\"",
                new: "release = \"v3\"",
            }],
            files: vec![],
            broken: false,
        },
        Step {
            who: HW,
            when: (2027, 1, 11, 8, 55),
            message: "v1 hardware work has started\n\n\
                Accelerometer and enclosure design kicked off today with HW-1 and\n\
                Mechanical, so v1 and its two hardware features are in progress.\n",
            edits: vec![
                set(release("v1"), planned, in_progress),
                set(feature("vibration-sensing"), planned, in_progress),
                set(feature("sealed-module"), planned, in_progress),
                set(work("accelerometer"), w_planned, w_in_progress),
                set(work("enclosure"), w_planned, w_in_progress),
            ],
            files: vec![],
            broken: false,
        },
        Step {
            who: PM,
            when: (2027, 2, 1, 13, 30),
            message: "Drop the native app from v2\n\n\
                Operators in the pilot use the portal on their phones, and push\n\
                notifications come with the alert inbox in v1. Four sprints of app\n\
                work are better spent on OTA.\n",
            edits: vec![Edit::Drop {
                block: NATIVE_APP,
                before: V3_HEADER,
            }],
            files: vec![],
            broken: false,
        },
        Step {
            who: PM,
            when: (2027, 2, 22, 16, 0),
            message: "Offline buffering is public: sales may talk about it\n\n\
                Sales keeps losing deals on \"what happens when the network drops?\".\n\
                fleet-connectivity is now visible to customers, with customer-facing\n\
                wording agreed with sales. Still planned, not committed.\n",
            edits: vec![set(
                feature("fleet-connectivity"),
                "\nvisibility = \"internal\"\n",
                "\ncustomer_value = \"No data gaps: pumps keep a week of readings when the network drops.\"\n",
            )],
            files: vec![],
            broken: false,
        },
        Step {
            who: HW,
            when: (2027, 3, 8, 10, 20),
            message: "Accelerometer and enclosure shipped; EMC certification at risk\n\n\
                Both passed design validation. The EMC lab moved our slot from March\n\
                to late April, so certification is at risk and the pilot build behind\n\
                it is blocked until we have the certificate. Sensor board rev B is in\n\
                progress.\n",
            edits: vec![
                set(work("accelerometer"), w_in_progress, w_shipped),
                set(work("enclosure"), w_in_progress, w_shipped),
                set(work("sensor-board"), w_planned, w_in_progress),
                set(
                    work("emc-certification"),
                    w_planned,
                    "status = \"in-progress\"\n  health = \"at-risk\"\n",
                ),
                set(
                    work("pilot-build"),
                    w_planned,
                    "status = \"planned\"\n  health = \"blocked\"\n",
                ),
                set(
                    feature("sealed-module"),
                    in_progress,
                    "\nstatus = \"in-progress\"\nhealth = \"at-risk\"\n",
                ),
            ],
            files: vec![],
            broken: false,
        },
        Step {
            who: PM,
            when: (2027, 3, 22, 9, 40),
            message: "v1 slips from 2027-Q2 to 2027-Q3: the EMC lab moved our slot\n\n\
                With the certificate expected at the end of July, the 200-unit pilot\n\
                build moves to July-September. This also settles the warnings roadlens\n\
                check has shown since September: the alert software never fitted in\n\
                Q2. v1 is at risk; v2 keeps its Q4 target, as OTA work does not depend\n\
                on the pilot build.\n",
            edits: vec![
                set(
                    release("v1"),
                    "target = \"2027-Q2\"",
                    "target = \"2027-Q3\"",
                ),
                set(
                    release("v1"),
                    "health = \"on-track\"",
                    "health = \"at-risk\"",
                ),
                set(
                    work("emc-certification"),
                    "end = \"2027-05\"",
                    "end = \"2027-07\"",
                ),
                set(
                    work("pilot-build"),
                    "start = \"2027-05\"",
                    "start = \"2027-07\"",
                ),
                set(work("pilot-build"), "end = \"2027-06\"", "end = 2027-09-10"),
            ],
            files: vec![],
            broken: false,
        },
        Step {
            who: PM,
            when: (2027, 4, 12, 11, 5),
            message: "Pull v3 in to 15 March 2028 for the Aquatech launch\n\n\
                Marketing booked the launch at Aquatech in March 2028. The cloud team\n\
                can have the model ready by then if labelled failure data starts\n\
                flowing now, so the labelling pipeline joins v3 as internal,\n\
                exploratory work.\n",
            edits: vec![
                set(release("v3"), "target = \"2028-H1\"", "target = 2028-03-15"),
                Edit::Add(feature("failure-labelling")),
            ],
            files: vec![],
            broken: false,
        },
        Step {
            who: PM,
            when: (2027, 4, 26, 14, 50),
            message: "Rename CMMS integration to what customers call it\n\n\
                Buyers do not say CMMS, they say work orders. Same feature, same id,\n\
                a title that works in the sales deck.\n",
            edits: vec![set(
                feature("cmms-integration"),
                "title = \"CMMS integration (SAP PM, IBM Maximo)\"",
                "title = \"Work orders in your maintenance system\"",
            )],
            files: vec![],
            broken: false,
        },
        Step {
            who: FW,
            when: (2027, 5, 3, 17, 25),
            message: "Firmware and factory status: driver and threshold engine started, fixture done\n\n\
                The sampling driver runs on rev B boards and the threshold engine\n\
                started on schedule (PUMP-12). The end-of-line fixture passed\n\
                acceptance at the contract manufacturer, so provisioning is under way.\n",
            edits: vec![
                set(work("sensor-driver"), w_planned, w_in_progress),
                set(work("threshold-engine"), w_planned, w_in_progress),
                set(
                    feature("vibration-alerts"),
                    planned,
                    "\nstatus = \"in-progress\"\nhealth = \"on-track\"\n",
                ),
                Edit::Add("  [feature.extra]\n  jira".into()),
                set(work("test-fixture"), w_planned, w_shipped),
                set(work("provisioning-tool"), w_planned, w_in_progress),
                set(feature("factory-provisioning"), planned, in_progress),
            ],
            files: vec![],
            broken: false,
        },
    ]
}

/// A quarterly review: an annotated tag the PM put, on the review's day, on
/// the roadmap as it stood then (the last commit before).
struct Review {
    tag: &'static str,
    /// The first line of the message of the commit it names.
    commit: &'static str,
    /// Local time, as [`Step::when`].
    when: (i16, i8, i8, i8, i8),
    message: &'static str,
}

/// The reviews, oldest first: `roadlens diff v2027.1`, `timeline --baseline
/// v2027.1`, `report --since v2027.1`, `report --at v2027.2` in the README
/// work in the demo repository.
const REVIEWS: [Review; 2] = [
    Review {
        tag: "v2027.1",
        commit: "v1 hardware work has started",
        when: (2027, 1, 15, 10, 0),
        message: "Roadmap as reviewed for 2027-Q1\n",
    },
    Review {
        tag: "v2027.2",
        commit: "v1 slips from 2027-Q2 to 2027-Q3: the EMC lab moved our slot",
        when: (2027, 4, 6, 10, 0),
        message: "Roadmap as reviewed for 2027-Q2\n",
    },
];

/// The edit staged in the index on top of the last commit.
fn staged_edits() -> Vec<Edit> {
    vec![set(
        metric("activation-rate"),
        "current = 62.0",
        "current = 71.0",
    )]
}

/// Edits left in the working tree only (on top of the staged ones).
fn unstaged_edits() -> Vec<Edit> {
    vec![
        set(release("v3"), "target = 2028-03-15", "target = \"2028-Q2\""),
        set(
            feature("fleet-connectivity"),
            "commitment = \"planned\"",
            "commitment = \"committed\"",
        ),
    ]
}

/// The roadmap text after each step, oldest first (the last is [`SAMPLE`]),
/// computed by undoing the steps' edits from the sample backwards.
fn roadmap_versions(steps: &[Step]) -> Result<Vec<String>, String> {
    let mut text = SAMPLE.to_string();
    let mut versions = vec![text.clone()];
    for (i, step) in steps.iter().enumerate().skip(1).rev() {
        for edit in step.edits.iter().rev() {
            edit.undo(&mut text)
                .map_err(|e| format!("{e} (undoing step {})", i + 1))?;
        }
        versions.push(text.clone());
    }
    versions.reverse();
    Ok(versions)
}

// ---------------------------------------------------------------------------
// Writing the repository
// ---------------------------------------------------------------------------

fn check_target(dir: &Path) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot read {}: {e}", dir.display())),
        Ok(m) if !m.is_dir() => Err(format!("{} exists and is not a directory", dir.display())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir)
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            if entries.next().is_some() {
                Err(format!(
                    "{} is not empty; give a new or empty directory",
                    dir.display()
                ))
            } else {
                Ok(())
            }
        }
    }
}

fn write_file(root: &Path, rel: &str, content: &str) -> Result<(), String> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(&path, content).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn git_err(e: git2::Error) -> String {
    format!("git: {}", e.message())
}

/// Stage `paths` (already written to disk) into the index.
fn stage(repo: &Repository, paths: &[&str]) -> Result<(), String> {
    let mut index = repo.index().map_err(git_err)?;
    index
        .add_all(paths.iter(), IndexAddOption::DEFAULT, None)
        .map_err(git_err)?;
    index.write().map_err(git_err)
}

fn commit(repo: &Repository, step: &Step) -> Result<git2::Oid, String> {
    let mut index = repo.index().map_err(git_err)?;
    let tree_id = index.write_tree().map_err(git_err)?;
    let tree = repo.find_tree(tree_id).map_err(git_err)?;
    let when = Time::new(epoch(step.when, step.who.offset)?, step.who.offset);
    let sig = Signature::new(step.who.name, step.who.email, &when).map_err(git_err)?;
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit().map_err(git_err)?),
        Err(_) => None,
    };
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, step.message, &tree, &parents)
        .map_err(git_err)
}

fn first_line(s: &'static str) -> &'static str {
    s.lines().next().unwrap_or("")
}

/// Tag each review's commit (found by its message's first line) with an
/// annotated tag by the PM.
fn tag_reviews(
    repo: &Repository,
    commits: &[DemoCommit],
) -> Result<Vec<(&'static str, git2::Oid)>, String> {
    let mut tags = Vec::with_capacity(REVIEWS.len());
    for review in &REVIEWS {
        let commit = commits
            .iter()
            .find(|c| c.summary == review.commit)
            .ok_or_else(|| format!("no demo commit `{}` to tag {}", review.commit, review.tag))?;
        let object = repo.find_object(commit.id, None).map_err(git_err)?;
        let when = Time::new(epoch(review.when, PM.offset)?, PM.offset);
        let tagger = Signature::new(PM.name, PM.email, &when).map_err(git_err)?;
        repo.tag(review.tag, &object, &tagger, review.message, false)
            .map_err(git_err)?;
        tags.push((review.tag, commit.id));
    }
    Ok(tags)
}

/// Create a new git repository in `dir` (which must be absent or empty)
/// holding the demo roadmap, its history on branch `main`, one staged edit
/// and uncommitted edits in the working tree.
pub fn build_demo_repo(dir: &Path) -> Result<DemoInfo, String> {
    check_target(dir)?;
    let steps = steps();
    // Compute everything before touching the disk.
    let versions = roadmap_versions(&steps)?;
    let mut staged = SAMPLE.to_string();
    for edit in staged_edits() {
        edit.apply(&mut staged)?;
    }
    let mut worktree = staged.clone();
    for edit in unstaged_edits() {
        edit.apply(&mut worktree)?;
    }

    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main").no_reinit(true).mkdir(true);
    let repo = Repository::init_opts(dir, &opts).map_err(git_err)?;
    {
        // Our own repository: file contents independent of the user's global
        // settings, and the PM as the one editing the working tree.
        let config = repo.config().map_err(git_err)?;
        let mut local = config
            .open_level(git2::ConfigLevel::Local)
            .map_err(git_err)?;
        local.set_bool("core.autocrlf", false).map_err(git_err)?;
        local.set_str("user.name", PM.name).map_err(git_err)?;
        local.set_str("user.email", PM.email).map_err(git_err)?;
    }
    if repo.workdir().is_none() {
        return Err("git: the new repository has no working directory".into());
    }
    let root = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());

    let mut commits = Vec::with_capacity(steps.len());
    for (step, version) in steps.iter().zip(&versions) {
        let mut paths = vec![ROADMAP_PATH];
        write_file(&root, ROADMAP_PATH, version)?;
        for (path, content) in &step.files {
            write_file(&root, path, content)?;
            paths.push(path);
        }
        stage(&repo, &paths)?;
        let id = commit(&repo, step)?;
        commits.push(DemoCommit {
            id,
            author: step.who.name,
            summary: first_line(step.message),
            broken: step.broken,
        });
    }

    let tags = tag_reviews(&repo, &commits)?;

    write_file(&root, ROADMAP_PATH, &staged)?;
    stage(&repo, &[ROADMAP_PATH])?;
    write_file(&root, ROADMAP_PATH, &worktree)?;

    Ok(DemoInfo {
        root,
        roadmap: ROADMAP_PATH,
        commits,
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_differs_from_the_one_before() {
        let steps = steps();
        let versions = roadmap_versions(&steps).expect("the story matches the sample");
        assert_eq!(versions.last().map(String::as_str), Some(SAMPLE));
        for (i, pair) in versions.windows(2).enumerate() {
            let changes_roadmap = !steps[i + 1].edits.is_empty();
            assert_eq!(pair[0] != pair[1], changes_roadmap, "step {}", i + 2);
        }
    }

    #[test]
    fn commit_times_increase() {
        let steps = steps();
        let times: Vec<i64> = steps
            .iter()
            .map(|s| epoch(s.when, s.who.offset).expect("valid date"))
            .collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    }

    #[test]
    fn a_block_ends_at_the_next_table() {
        let text = "[[a]]\nid = \"x\"\n\n  [[a.w]]\n  id = \"y\"\n  k = 1\n\n  [[a.w]]\n  id = \"z\"\n\n[[a]]\nid = \"q\"\n";
        let next = text.find("[[a]]\nid = \"q\"").unwrap();
        assert_eq!(
            &text[block(text, "[[a]]\nid = \"x\"\n").unwrap()],
            &text[..next]
        );
        assert_eq!(
            &text[block(text, "  [[a.w]]\n  id = \"y\"\n").unwrap()],
            "  [[a.w]]\n  id = \"y\"\n  k = 1\n\n"
        );
        assert!(block(text, "[[b]]").is_err());
    }

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2027, 5, 10)
    }

    #[test]
    fn every_commit_loads_except_the_broken_one() {
        let steps = steps();
        let versions = roadmap_versions(&steps).expect("the story matches the sample");
        let mut warnings_at_head = Vec::new();
        for (i, (step, text)) in steps.iter().zip(&versions).enumerate() {
            let loaded = crate::model::load_str(ROADMAP_PATH, text, today());
            assert_eq!(
                loaded.has_errors(),
                step.broken,
                "step {}: {}",
                i + 1,
                loaded.render_diagnostics(false)
            );
            if i + 1 == versions.len() {
                warnings_at_head = loaded.diagnostics;
            }
        }
        assert!(warnings_at_head.is_empty(), "{warnings_at_head:?}");
        assert_eq!(steps.iter().filter(|s| s.broken).count(), 1);
        assert!(steps.len() >= 12);
    }

    #[test]
    fn the_uncommitted_edits_load() {
        let mut text = SAMPLE.to_string();
        for edit in staged_edits().iter().chain(&unstaged_edits()) {
            edit.apply(&mut text).expect("edit matches the sample");
        }
        let loaded = crate::model::load_str(ROADMAP_PATH, &text, today());
        assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics(false));
    }

    #[test]
    fn builds_the_history_on_main_and_leaves_edits_uncommitted() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("demo");
        let info = build_demo_repo(&dir).expect("demo builds");
        let repo = Repository::open(&dir).expect("a repository");
        let head = repo.head().expect("HEAD");
        assert_eq!(head.name_bytes(), b"refs/heads/main");

        let mut walk = repo.revwalk().expect("revwalk");
        walk.push_head().expect("push HEAD");
        let ids: Vec<git2::Oid> = walk.map(|id| id.expect("oid")).collect();
        assert_eq!(ids.len(), info.commits.len());
        assert_eq!(ids.first(), info.commits.last().map(|c| &c.id));

        let head_tree = head.peel_to_tree().expect("tree");
        let entry = head_tree
            .get_path(Path::new(ROADMAP_PATH))
            .expect("roadmap in HEAD");
        let blob = repo.find_blob(entry.id()).expect("blob");
        assert_eq!(blob.content(), SAMPLE.as_bytes());

        let on_disk = std::fs::read_to_string(dir.join(ROADMAP_PATH)).expect("read");
        assert_ne!(on_disk, SAMPLE);
        assert!(on_disk.contains("target = \"2028-Q2\""));
        let index = repo.index().expect("index");
        let staged = index
            .get_path(Path::new(ROADMAP_PATH), 0)
            .expect("roadmap in the index");
        let staged = repo.find_blob(staged.id).expect("staged blob");
        let staged = std::str::from_utf8(staged.content()).expect("utf-8");
        assert!(staged.contains("current = 71.0"));
        assert!(!staged.contains("2028-Q2"));
    }

    #[test]
    fn refuses_a_non_empty_directory_and_leaves_it_alone() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("keep.txt"), "mine").expect("write");
        let err = build_demo_repo(tmp.path()).expect_err("must refuse");
        assert!(err.contains("not empty"), "{err}");
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("keep.txt")]);
    }
}
