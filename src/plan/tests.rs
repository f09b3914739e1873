//! The schedule derivation, critical paths, slack, effort, conflicts and
//! chains, on small roadmaps written as TOML.

use super::*;
use crate::model::{EntityKind, Horizon, Roadmap, load_str};
use jiff::civil::{Date, date};

const TODAY: Date = date(2027, 5, 10);

fn load(body: &str) -> Roadmap {
    let src = format!("[roadmap]\nid = \"rm\"\ntitle = \"RM\"\n{body}");
    let f = load_str("plan.toml", &src, TODAY);
    assert!(!f.has_errors(), "{}", f.render_diagnostics(false));
    f.roadmap.expect("loads")
}

fn work<'s>(s: &'s Schedule<'_>, key: &str) -> &'s Planned<'s> {
    s.get(EntityKind::Work, key)
        .unwrap_or_else(|| panic!("no work item {key}"))
}

fn span(s: &Schedule, key: &str) -> (Date, Date) {
    let p = work(s, key);
    (p.start, p.last_day())
}

fn path(s: &Schedule, rel: &str) -> Vec<String> {
    let rp = s.release(rel).expect("release");
    rp.path
        .iter()
        .map(|&i| s.items[i].key.to_string())
        .collect()
}

fn release(id: &str, extra: &str) -> String {
    format!("\n[[release]]\nid = \"{id}\"\nname = \"{id}\"\n{extra}\n")
}

fn feature(id: &str, rel: &str, extra: &str) -> String {
    format!(
        "\n[[feature]]\nid = \"{id}\"\ntitle = \"{id}\"\nrelease = \"{rel}\"\nvisibility = \"internal\"\n{extra}\n"
    )
}

fn item(id: &str, layer: &str, extra: &str) -> String {
    format!(
        "\n  [[feature.work]]\n  id = \"{id}\"\n  layer = \"{layer}\"\n  title = \"{id}\"\n{extra}\n"
    )
}

#[test]
fn written_dates_estimates_dependencies_release_start_and_today() {
    let r = load(
        &[
            release("v1", "start = \"2027-01\"\ntarget = \"2027-Q3\""),
            release("v2", "target = \"2027-Q4\""),
            feature("f", "v1", ""),
            // Written start and end: their periods.
            item("a", "hardware", "start = \"2027-01\"\nend = \"2027-03\""),
            // After `a`, 6 weeks.
            item("b", "firmware", "estimate = \"6w\"\ndepends_on = [\"a\"]"),
            // An end and an estimate: the start is the end less the estimate.
            item("c", "cloud", "estimate = \"10d\"\nend = 2027-06-30"),
            // Nothing but an estimate: the release's start.
            item("d", "apps", "estimate = \"1 sprint\""),
            // A start and an estimate.
            item("e", "comms", "start = 2027-02-01\nestimate = \"1m\""),
            feature("g", "v2", ""),
            // No release start, no dependencies: today; no estimate: no days.
            item("h", "apps", ""),
        ]
        .concat(),
    );
    let s = schedule(&r);
    assert_eq!(span(&s, "a"), (date(2027, 1, 1), date(2027, 3, 31)));
    assert_eq!(
        work(&s, "a").start_basis,
        Basis::Written(r.features[0].work[0].start.unwrap())
    );
    assert_eq!(span(&s, "b"), (date(2027, 4, 1), date(2027, 5, 12)));
    assert_eq!(work(&s, "b").start_basis, Basis::DependsOn("a".into()));
    assert_eq!(work(&s, "b").end_basis, Basis::Estimate);
    assert_eq!(span(&s, "c"), (date(2027, 6, 21), date(2027, 6, 30)));
    assert_eq!(work(&s, "c").start_basis, Basis::Estimate);
    assert_eq!(span(&s, "d"), (date(2027, 1, 1), date(2027, 1, 14)));
    assert_eq!(work(&s, "d").start_basis, Basis::ReleaseStart("v1"));
    assert_eq!(span(&s, "e"), (date(2027, 2, 1), date(2027, 3, 2)));
    let h = work(&s, "h");
    assert_eq!((h.start, h.end), (TODAY, TODAY));
    assert_eq!(
        (h.start_basis.clone(), h.end_basis.clone()),
        (Basis::Today, Basis::NoEstimate)
    );
    // A feature spans its work; a release its start to its last work.
    let f = s.get(EntityKind::Feature, "f").expect("feature");
    assert_eq!(
        (f.start, f.last_day()),
        (date(2027, 1, 1), date(2027, 6, 30))
    );
    let v1 = s.release("v1").expect("v1");
    assert_eq!(v1.start, Some(date(2027, 1, 1)));
    assert_eq!(v1.end, Some(date(2027, 7, 1)));
    assert_eq!(v1.target_end, Some(date(2027, 10, 1)));
}

#[test]
fn horizons_place_work_and_nothing_at_all_is_undated() {
    let r = load(
        &[
            release("v1", "start = \"2027-01\"\ntarget = \"2027-Q3\""),
            release("soon", "target = \"next\""),
            release("far", "target = \"later\""),
            release("open", ""),
            feature("f", "v1", ""),
            item("a", "hardware", "estimate = \"4w\"\nend = \"2027-05\""),
            // Its own end is a horizon.
            item("b", "apps", "estimate = \"1w\"\nend = \"now\""),
            feature("g", "soon", ""),
            // Next: from the next quarter's first day.
            item("c", "cloud", "estimate = \"2w\""),
            feature("h", "far", ""),
            // Later: after its dependency, not before that horizon.
            item("d", "cloud", "estimate = \"1w\"\ndepends_on = [\"a\"]"),
            // Written dates place it, whatever its release's target.
            item("e", "cloud", "start = 2027-06-01\nestimate = \"1w\""),
            feature("k", "open", ""),
            // Nothing places it.
            item("x", "apps", ""),
            // An estimate alone: today.
            item("y", "apps", "estimate = \"1w\""),
        ]
        .concat(),
    );
    let s = schedule(&r);
    let (a, b) = (work(&s, "a"), work(&s, "b"));
    assert_eq!((a.horizon, a.undated), (None, false));
    assert_eq!(b.horizon, Some(Horizon::Now));
    let c = work(&s, "c");
    assert_eq!(c.horizon, Some(Horizon::Next));
    assert_eq!(span(&s, "c"), (date(2027, 7, 1), date(2027, 7, 14)));
    assert_eq!(c.start_basis, Basis::ReleaseHorizon("soon", Horizon::Next));
    let d = work(&s, "d");
    assert_eq!(d.horizon, Some(Horizon::Later));
    assert_eq!(span(&s, "d"), (date(2028, 1, 1), date(2028, 1, 7)));
    assert_eq!(work(&s, "e").horizon, None);
    // A feature is in a horizon when all its work is.
    assert_eq!(
        s.get(EntityKind::Feature, "g").expect("g").horizon,
        Some(Horizon::Next)
    );
    assert_eq!(s.get(EntityKind::Feature, "h").expect("h").horizon, None);
    let (x, y) = (work(&s, "x"), work(&s, "y"));
    assert!(x.undated && !y.undated);
    assert_eq!((x.start, x.end), (TODAY, TODAY));
    assert_eq!(span(&s, "y"), (TODAY, date(2027, 5, 16)));
    assert!(!s.get(EntityKind::Feature, "k").expect("k").undated);
}

/// An item nothing places (drawn "no date" on the timeline) is on no
/// critical path: the list said "★ critical" for work the timeline could
/// not place. A dated item of the same release still is.
#[test]
fn undated_work_ends_no_critical_path() {
    let r = load(
        &[
            release("v1", "target = \"2027-Q4\""),
            feature("f", "v1", ""),
            item("undated", "hardware", ""),
            item(
                "dated",
                "hardware",
                "estimate = \"2w\"\nstart = \"2027-06-01\"",
            ),
            release("v2", "target = \"2027-Q4\""),
            feature("g", "v2", ""),
            item("alone", "hardware", ""),
        ]
        .concat(),
    );
    let s = schedule(&r);
    assert!(work(&s, "undated").undated && !work(&s, "undated").critical);
    assert_eq!(path(&s, "v1"), ["dated"]);
    // A release of undated work only has no critical path.
    assert!(path(&s, "v2").is_empty());
    assert!(!work(&s, "alone").critical);
    // Nor has it slack: it has no end to measure from.
    assert_eq!(work(&s, "undated").slack, None);
    assert_eq!(work(&s, "alone").slack, None);
    assert!(work(&s, "dated").slack.is_some());
}

#[test]
fn a_layer_sets_its_sprint_length() {
    let r = load(
        &[
            "\n[[layer]]\nid = \"cloud\"\nname = \"Cloud\"\nsprint = \"3w\"\n",
            &release("v1", "start = 2027-01-04"),
            &feature("f", "v1", ""),
            &item("a", "cloud", "estimate = \"2 sprints\""),
            &item("b", "apps", "estimate = \"2 sprints\""),
        ]
        .concat(),
    );
    let s = schedule(&r);
    assert_eq!(work(&s, "a").days, Some(42.0));
    assert_eq!(span(&s, "a"), (date(2027, 1, 4), date(2027, 2, 14)));
    // Another layer keeps two-week sprints.
    assert_eq!(work(&s, "b").days, Some(28.0));
}

#[test]
fn a_features_dependencies_hold_up_its_work_and_a_feature_ends_with_its_work() {
    let r = load(
        &[
            release("v1", "start = 2027-01-04\ntarget = \"2027-Q4\""),
            feature("base", "v1", ""),
            item("x", "hardware", "estimate = \"2w\""),
            item("y", "firmware", "estimate = \"4w\""),
            // Depends on the feature: waits for all of its work.
            feature("top", "v1", "depends_on = [\"base\"]"),
            item("z", "cloud", "estimate = \"1w\""),
            feature("side", "v1", ""),
            item("u", "apps", "estimate = \"1w\"\ndepends_on = [\"base\"]"),
        ]
        .concat(),
    );
    let s = schedule(&r);
    // base ends when y ends: 2027-01-04 + 28 days.
    assert_eq!(span(&s, "y"), (date(2027, 1, 4), date(2027, 1, 31)));
    assert_eq!(span(&s, "z"), (date(2027, 2, 1), date(2027, 2, 7)));
    assert_eq!(work(&s, "z").start_basis, Basis::DependsOn("base".into()));
    assert_eq!(span(&s, "u"), (date(2027, 2, 1), date(2027, 2, 7)));
    // The critical path goes through the feature to the work that holds it up.
    assert_eq!(path(&s, "v1"), ["y", "z"]);
}

#[test]
fn the_critical_path_crosses_layers_and_features_and_gives_slack() {
    // The example: Pilot build ← EMC certification ← Sensor board rev B.
    let r = load(&[
        release("v1", "start = \"2027-01\"\ntarget = \"2027-Q3\""),
        feature("sensing", "v1", ""),
        item("accelerometer", "hardware", "status = \"shipped\"\nestimate = \"10w\"\nstart = 2027-01-11\nend = \"2027-03\""),
        item("sensor-board", "hardware", "estimate = \"3m\"\nstart = \"2027-02\"\nend = \"2027-05\"\ndepends_on = [\"accelerometer\"]"),
        item("driver", "firmware", "estimate = \"6w\"\nstart = \"2027-03\"\nend = \"2027-05\"\ndepends_on = [\"accelerometer\"]"),
        feature("sealed", "v1", ""),
        item("emc", "hardware", "estimate = \"10w\"\nstart = \"2027-04\"\nend = \"2027-07\"\ndepends_on = [\"sensor-board\"]"),
        item("pilot", "hardware", "estimate = \"6w\"\nstart = \"2027-07\"\nend = 2027-09-10\ndepends_on = [\"emc\", \"fixture\"]"),
        feature("factory", "v1", ""),
        item("fixture", "hardware", "status = \"shipped\"\nestimate = \"6w\"\nend = \"2027-04\""),
        feature("alerts", "v1", "depends_on = [\"sensing\"]"),
        item("engine", "firmware", "estimate = \"4w\"\nstart = \"2027-05\"\nend = \"2027-07\"\ndepends_on = [\"driver\"]"),
        item("ingest", "cloud", "estimate = \"2 sprints\"\ndepends_on = [\"engine\"]"),
    ]
    .concat());
    let s = schedule(&r);
    // Shipped work holds nothing up: the chain stops at the sensor board.
    assert_eq!(path(&s, "v1"), ["sensor-board", "emc", "pilot"]);
    let v1 = s.release("v1").expect("v1");
    assert_eq!(v1.path_layer.as_deref(), Some("hardware"));
    assert_eq!(s.path_end(v1), Some(date(2027, 9, 11)));
    assert_eq!(s.path_slack(v1), Some(20));
    assert!(work(&s, "emc").critical && !work(&s, "driver").critical);
    // Slack: the pilot build's 20 days; the items before it share them (an
    // overlap of periods is no extra slack).
    assert_eq!(work(&s, "pilot").slack, Some(20));
    assert_eq!(work(&s, "emc").slack, Some(20));
    assert_eq!(work(&s, "sensor-board").slack, Some(20));
    // ingest: after engine (ends 2027-07-31) and its feature's dependency
    // (sensing, ends 2027-05-31), 28 days → ends 2027-08-28, 33 days before
    // the target's end.
    assert_eq!(span(&s, "ingest"), (date(2027, 8, 1), date(2027, 8, 28)));
    assert_eq!(
        work(&s, "ingest").start_basis,
        Basis::DependsOn("engine".into())
    );
    assert_eq!(work(&s, "ingest").slack, Some(33));
    // engine: ingest starts the day after it ends, so the same 33 days.
    assert_eq!(work(&s, "engine").slack, Some(33));
    // driver ends 2027-05-31, engine starts 2027-05-01: an overlap, no more.
    assert_eq!(work(&s, "driver").slack, Some(33));
    // Done work has no slack.
    assert_eq!(work(&s, "accelerometer").slack, None);
}

#[test]
fn ties_go_to_the_first_in_file_order_and_missing_estimates_are_no_days() {
    let r = load(
        &[
            release("v1", "start = 2027-01-04\ntarget = 2027-03-31"),
            feature("f", "v1", ""),
            item("a", "hardware", "estimate = \"2w\""),
            item("b", "firmware", "estimate = \"2w\""),
            // Waits for both, which end the same day: `b` is listed first.
            item(
                "c",
                "cloud",
                "estimate = \"1w\"\ndepends_on = [\"b\", \"a\"]",
            ),
            // Ends the same day as c, later in the file: c is the end.
            item("d", "apps", "estimate = \"3w\""),
            // No estimate: zero days, right after c.
            item("e", "apps", "depends_on = [\"c\"]"),
        ]
        .concat(),
    );
    let s = schedule(&r);
    assert_eq!(span(&s, "c").1, span(&s, "d").1);
    let e = work(&s, "e");
    assert_eq!(
        (e.start, e.end, e.end_basis.clone()),
        (date(2027, 1, 25), date(2027, 1, 25), Basis::NoEstimate)
    );
    // c, d and e end the same day: the longest of their chains is e's,
    // back through c and b, the first listed of c's tied dependencies.
    assert_eq!(path(&s, "v1"), ["b", "c", "e"]);
    let v1 = s.release("v1").expect("v1");
    assert_eq!(s.path_slack(v1), Some(66));
}

#[test]
fn effort_is_summed_per_release_and_layer_without_cancelled_or_deferred_work() {
    let r = load(
        &[
            release("v1", "target = \"2027-Q3\""),
            feature("f", "v1", ""),
            item("a", "hardware", "estimate = \"10w\""),
            item("b", "hardware", "estimate = \"3m\""),
            item("c", "hardware", "estimate = \"4w\"\nstatus = \"cancelled\""),
            item("d", "firmware", "estimate = \"2 sprints\""),
            item("e", "firmware", ""),
            feature("g", "v1", "status = \"deferred\""),
            item("x", "cloud", "estimate = \"5w\""),
        ]
        .concat(),
    );
    let s = schedule(&r);
    let v1 = s.release("v1").expect("v1");
    let e: Vec<(&str, f64, usize, usize)> = v1
        .effort
        .iter()
        .map(|e| (e.layer.as_str(), e.days, e.items, e.unestimated))
        .collect();
    assert_eq!(e, [("hardware", 160.0, 2, 0), ("firmware", 28.0, 2, 1)]);
    assert_eq!(v1.effort_days(), 188.0);
}

#[test]
fn a_cycle_through_a_features_own_work_does_not_hang() {
    // f waits for g's work, which waits for f's work (and for its own
    // feature): `check` rejects it (such a roadmap does not load), yet a
    // schedule of one built in code still ends.
    let body = |f_deps: &str, b_deps: &str| {
        [
            release("v1", "target = \"2027-Q4\""),
            feature("f", "v1", f_deps),
            item("a", "hardware", "estimate = \"1w\""),
            feature("g", "v1", ""),
            item("b", "firmware", &format!("estimate = \"1w\"\n{b_deps}")),
        ]
        .concat()
    };
    let cyclic = body("depends_on = [\"g\"]", "depends_on = [\"a\", \"g\"]");
    let src = format!("[roadmap]\nid = \"rm\"\ntitle = \"RM\"\n{cyclic}");
    let f = load_str("plan.toml", &src, TODAY);
    assert!(
        f.render_diagnostics(false)
            .contains("error: dependency cycle"),
        "{}",
        f.render_diagnostics(false)
    );
    let mut r = load(&body("", "depends_on = [\"a\"]"));
    r.features[0].depends_on.push("g".into());
    r.features[1].work[0].depends_on.push("g".into());
    let s = schedule(&r);
    assert_eq!(s.items.len(), 4);
    let (a, b) = (work(&s, "a"), work(&s, "b"));
    assert!(a.end <= b.start || b.end <= a.start, "{a:?} {b:?}");
}

fn kinds(r: &Roadmap) -> Vec<(ConflictKind, String)> {
    let s = schedule(r);
    conflicts(r, &s)
        .into_iter()
        .map(|c| (c.kind, c.message))
        .collect()
}

#[test]
fn conflicts_of_every_kind() {
    let r = load(
        &[
            release("v1", "start = \"2027-01\"\ntarget = \"2027-Q2\""),
            release("v4", "target = \"later\""),
            release("v3", "target = \"2027-Q4\"\nstatus = \"deferred\""),
            feature("f", "v1", ""),
            item(
                "accelerometer",
                "hardware",
                "start = \"2027-01\"\nend = \"2027-03\"",
            ),
            item(
                "sensor-driver",
                "firmware",
                "start = \"2027-02\"\nend = \"2027-04\"\ndepends_on = [\"accelerometer\"]",
            ),
            item(
                "same-month",
                "firmware",
                "start = \"2027-03\"\nend = \"2027-04\"\ndepends_on = [\"accelerometer\"]",
            ),
            item(
                "sync",
                "cloud",
                "estimate = \"1w\"\nend = \"2027-05\"\ndepends_on = [\"ota\"]",
            ),
            item(
                "old",
                "apps",
                "estimate = \"1w\"\nend = \"2027-05\"\ndepends_on = [\"gone\"]",
            ),
            item(
                "tight",
                "comms",
                "estimate = \"10w\"\nstart = \"2027-04\"\nend = \"2027-05\"",
            ),
            item("late", "hardware", "estimate = \"1w\"\nstart = 2027-07-01"),
            feature("g", "v4", ""),
            item("ota", "comms", "estimate = \"1w\""),
            feature("h", "v3", ""),
            item("gone", "cloud", "estimate = \"1w\""),
        ]
        .concat(),
    );
    let k = kinds(&r);
    let has = |kind: ConflictKind, text: &str| {
        assert!(
            k.iter().any(|(x, m)| *x == kind && m == text),
            "no {kind:?} `{text}` in {k:#?}"
        );
    };
    has(
        ConflictKind::EndsAfterStart,
        "`sensor-driver` starts 2027-02 but depends on `accelerometer`, which ends 2027-03",
    );
    has(
        ConflictKind::LaterRelease,
        "`sync` of release v1 (2027-Q2) depends on `ota` of the later release v4 (later)",
    );
    // Work of a release targeted `later` starts no earlier than that
    // horizon: after `sync` has to start.
    has(
        ConflictKind::EndsAfterStart,
        "`sync` starts 2027-05-25 (derived) but depends on `ota`, which ends 2028-01-07 (derived)",
    );
    has(
        ConflictKind::DroppedDependency,
        "`old` depends on `gone`, whose release v3 is deferred",
    );
    has(
        ConflictKind::EstimateTooLong,
        "`tight`: estimate 10w (70 days) does not fit between its start 2027-04 and end 2027-05 (61 days at most)",
    );
    has(
        ConflictKind::PastTarget,
        "v1 targets 2027-Q2, its critical path ends 2027-07-07",
    );
    // The same month is not a conflict: it may end before it starts.
    assert!(!k.iter().any(|(_, m)| m.contains("`same-month`")), "{k:#?}");
    assert_eq!(k.len(), 6, "{k:#?}");
}

#[test]
fn chains_up_and_down_across_layers_each_node_once() {
    let r = load(
        &[
            release("v1", "target = \"2027-Q4\""),
            feature("f", "v1", ""),
            item("a", "hardware", "estimate = \"1w\""),
            item("b", "firmware", "estimate = \"1w\"\ndepends_on = [\"a\"]"),
            item("c", "firmware", "estimate = \"1w\"\ndepends_on = [\"a\"]"),
            item(
                "d",
                "cloud",
                "estimate = \"1w\"\ndepends_on = [\"b\", \"c\"]",
            ),
        ]
        .concat(),
    );
    let s = schedule(&r);
    let c = chains(&r, &s, "d", false).expect("d");
    let up: Vec<(&str, bool, bool)> = c
        .upstream
        .iter()
        .map(|t| (t.node.id.as_str(), t.cross_layer, t.repeated))
        .collect();
    assert_eq!(up, [("b", true, false), ("c", true, false)]);
    assert_eq!(c.upstream[0].children[0].node.id, "a");
    assert!(c.upstream[0].children[0].cross_layer);
    // a, reached again through c, is not expanded twice.
    assert!(c.upstream[1].children[0].repeated);
    let down = chains(&r, &s, "a", false).expect("a");
    let ids: Vec<&str> = down.downstream.iter().map(|t| t.node.id.as_str()).collect();
    assert_eq!(ids, ["b", "c"]);
    assert!(chains(&r, &s, "nope", false).is_none());
    let g = graph(&r, &s, false, Some("cloud"));
    let items: Vec<&str> = g.releases[0]
        .groups
        .iter()
        .flat_map(|g| g.items.iter().map(|i| i.node.id.as_str()))
        .collect();
    assert_eq!(items, ["b", "c", "d"]);
}

#[test]
fn shipped_and_dropped_work_holds_nothing_up() {
    let r = load(
        &[
            release("v1", "start = 2027-06-01\ntarget = 2027-08-31"),
            feature("f", "v1", ""),
            item("s", "hardware", "status = \"shipped\"\nestimate = \"8w\""),
            item("c", "hardware", "status = \"cancelled\"\nestimate = \"8w\""),
            item("t", "firmware", "estimate = \"1w\"\ndepends_on = [\"s\"]"),
            item("u", "firmware", "estimate = \"1w\"\ndepends_on = [\"c\"]"),
            item("o", "cloud", "estimate = \"2w\""),
            item(
                "v",
                "apps",
                "estimate = \"1w\"\ndepends_on = [\"s\", \"o\"]",
            ),
        ]
        .concat(),
    );
    let s = schedule(&r);
    // From the release's start, as if they had no dependency.
    assert_eq!(span(&s, "t"), (date(2027, 6, 1), date(2027, 6, 7)));
    assert_eq!(span(&s, "u"), (date(2027, 6, 1), date(2027, 6, 7)));
    // An open dependency still holds it up.
    assert_eq!(span(&s, "v").0, date(2027, 6, 15));
}
