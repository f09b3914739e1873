use super::*;
use crate::lens::Lens;
use crate::model::{Roadmap, load_str};
use jiff::civil::date;

const TODAY: Date = date(2027, 5, 10);

const BASE: &str = r#"
[roadmap]
id = "pump"
title = "Smart Pump"
owner = "D. Lizalde"
vision = "No outages."

[[layer]]
id = "hardware"
name = "Device hardware"
team = "HW"

[[layer]]
id = "firmware"
name = "Device software"
team = "FW"

[[layer]]
id = "cloud"
name = "Cloud platform"
team = "Platform"

[[metric]]
id = "downtime"
name = "Downtime"
unit = "hours"
current = 41.0
target = 28.0

[[theme]]
id = "predict"
title = "Predict failure"
outcome = "Cut downtime by 30%"
metric = "downtime"

[[release]]
id = "v1"
name = "Vibration monitoring"
target = "2027-Q3"
status = "in-progress"
health = "on-track"
confidence = "medium"

[[release]]
id = "v2"
name = "Connected fleet"
target = "2027-Q4"

[[feature]]
id = "alerts"
title = "Vibration alerts"
release = "v1"
themes = ["predict"]
commitment = "committed"
customer_value = "Get an alert."
business_value = "Upsell."
tags = ["alerts"]

  [[feature.work]]
  id = "sensor"
  layer = "hardware"
  title = "Accelerometer"
  estimate = "10w"
  end = "2027-08"

  [[feature.work]]
  layer = "firmware"
  title = "Sampling loop"

[[feature]]
id = "fota"
title = "Remote updates"
release = "v2"
commitment = "planned"
visibility = "internal"
customer_value = "Updates over the air."

  [[feature.work]]
  id = "fota-cloud"
  layer = "cloud"
  title = "Update service"

[[feature]]
id = "dash"
title = "Fleet dashboard"
release = "v2"
commitment = "exploring"
customer_value = "See every pump."

  [[feature.work]]
  id = "dash-ui"
  layer = "cloud"
  title = "Dashboard UI"

[[decision]]
id = "ota-signing"
layer = "firmware"
area = "security"
title = "Signed images"
status = "open"
"#;

fn load(src: &str) -> Roadmap {
    let f = load_str("pump.toml", src, TODAY);
    let errors = f.render_diagnostics(false);
    f.roadmap.unwrap_or_else(|| panic!("{errors}"))
}

/// Apply text replacements to BASE (each must match).
fn edit(pairs: &[(&str, &str)]) -> String {
    let mut s = BASE.to_string();
    for (a, b) in pairs {
        assert!(s.contains(a), "no `{a}` in BASE");
        s = s.replacen(a, b, 1);
    }
    s
}

fn changes(pairs: &[(&str, &str)]) -> Vec<Change> {
    diff(&load(BASE), &load(&edit(pairs)))
}

fn only(pairs: &[(&str, &str)]) -> Change {
    let cs: Vec<Change> = filter(&changes(pairs), None);
    assert_eq!(cs.len(), 1, "{cs:#?}");
    cs.into_iter().next().unwrap()
}

fn lenses(c: &Change) -> Vec<&str> {
    c.lenses.iter().map(|s| s.as_str()).collect()
}

#[test]
fn identical_roadmaps_have_no_changes() {
    assert!(diff(&load(BASE), &load(BASE)).is_empty());
}

#[test]
fn release_slip_with_amount_in_its_unit() {
    let c = only(&[("target = \"2027-Q4\"", "target = \"2028-Q1\"")]);
    assert_eq!(c.entity, EntityKind::Release);
    assert_eq!(c.kind, ChangeKind::Slipped);
    assert_eq!(c.field.as_deref(), Some("target"));
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("2027-Q4"), Some("2028-Q1"))
    );
    assert_eq!(
        c.summary,
        "release v2 slipped by 1 quarter: 2027-Q4 → 2028-Q1"
    );
    // Releases are exec and engineering; cloud has work in v2.
    assert_eq!(lenses(&c), ["exec", "engineering", "layer:cloud"]);
}

#[test]
fn pull_in_and_refinement() {
    let c = only(&[("target = \"2027-Q3\"", "target = \"2027-Q2\"")]);
    assert_eq!(c.kind, ChangeKind::PulledIn);
    assert_eq!(
        c.summary,
        "release v1 pulled in by 1 quarter: 2027-Q3 → 2027-Q2"
    );
    let c = only(&[("target = \"2027-Q3\"", "target = 2027-08-14")]);
    assert_eq!(c.kind, ChangeKind::Changed);
    assert_eq!(c.summary, "release v1 target refined: 2027-Q3 → 2027-08-14");
    assert_eq!(c.new.as_deref(), Some("2027-08-14"));
}

#[test]
fn sales_sees_derived_slip_of_committed_public_feature() {
    let cs = changes(&[("target = \"2027-Q3\"", "target = \"2027-Q4\"")]);
    let derived: Vec<&Change> = cs.iter().filter(|c| c.is_derived()).collect();
    assert_eq!(derived.len(), 1, "{cs:#?}");
    let d = derived[0];
    assert_eq!((d.entity, d.id.as_str()), (EntityKind::Feature, "alerts"));
    assert_eq!(d.kind, ChangeKind::Slipped);
    assert_eq!(
        d.summary,
        "feature alerts slipped by 1 quarter: 2027-Q3 → 2027-Q4 (release v1 moved)"
    );
    assert_eq!(lenses(d), ["sales"]);
    // Sales sees the derived change and not the release slip.
    let sales = filter(&cs, Some(&Lens::Sales));
    assert_eq!(sales.len(), 1);
    // Without a lens and in exec, the derived change is not repeated.
    assert!(filter(&cs, None).iter().all(|c| !c.is_derived()));
    assert!(
        filter(&cs, Some(&Lens::Exec))
            .iter()
            .all(|c| !c.is_derived())
    );
}

#[test]
fn sales_gets_no_dates_for_exploring_or_internal_features() {
    // v2 holds an internal feature and an exploring one: nothing for sales.
    let cs = changes(&[("target = \"2027-Q4\"", "target = \"2028-Q2\"")]);
    assert!(filter(&cs, Some(&Lens::Sales)).is_empty(), "{cs:#?}");
}

#[test]
fn refinement_within_a_quarter_is_invisible_to_sales() {
    let cs = changes(&[("target = \"2027-Q3\"", "target = 2027-09-30")]);
    assert!(filter(&cs, Some(&Lens::Sales)).is_empty(), "{cs:#?}");
}

#[test]
fn feature_moved_between_releases() {
    let cs = changes(&[("release = \"v1\"", "release = \"v2\"")]);
    let moved = cs.iter().find(|c| c.kind == ChangeKind::Moved).unwrap();
    assert_eq!(moved.summary, "feature alerts moved from release v1 to v2");
    assert_eq!(moved.field.as_deref(), Some("release"));
    assert_eq!(
        lenses(moved),
        ["exec", "engineering", "layer:firmware", "layer:hardware"]
    );
    // Sales: the derived date change, not the move.
    let sales = filter(&cs, Some(&Lens::Sales));
    assert_eq!(sales.len(), 1);
    assert_eq!(
        sales[0].summary,
        "feature alerts slipped by 1 quarter: 2027-Q3 → 2027-Q4 (moved to release v2)"
    );
}

#[test]
fn visibility_changes_are_headlines_for_sales() {
    let cs = changes(&[("visibility = \"internal\"\n", "")]);
    let c = &filter(&cs, None)[0];
    assert_eq!(c.kind, ChangeKind::Visibility);
    assert_eq!(c.summary, "feature fota is now visible to sales");
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("internal"), None)
    );
    assert!(lenses(c).contains(&"sales"));

    let cs = changes(&[(
        "commitment = \"committed\"",
        "commitment = \"committed\"\nvisibility = \"internal\"",
    )]);
    let c = &filter(&cs, None)[0];
    assert_eq!(
        c.summary,
        "feature alerts is now internal (hidden from sales)"
    );
    assert!(lenses(c).contains(&"sales"));
    // Writing out the default is not a change.
    let cs = changes(&[(
        "commitment = \"committed\"",
        "commitment = \"committed\"\nvisibility = \"public\"",
    )]);
    assert!(cs.is_empty(), "{cs:#?}");
}

#[test]
fn status_health_confidence_commitment() {
    let cs = filter(
        &changes(&[
            ("status = \"in-progress\"", "status = \"shipped\""),
            ("health = \"on-track\"", "health = \"at-risk\""),
            ("confidence = \"medium\"", "confidence = \"low\""),
            ("commitment = \"planned\"", "commitment = \"committed\""),
        ]),
        None,
    );
    let got: Vec<(ChangeKind, &str)> = cs.iter().map(|c| (c.kind, c.summary.as_str())).collect();
    assert_eq!(
        got,
        [
            (
                ChangeKind::Status,
                "release v1 status: in-progress → shipped"
            ),
            (ChangeKind::Health, "release v1 health: on-track → at-risk"),
            (
                ChangeKind::Confidence,
                "release v1 confidence: medium → low"
            ),
            (
                ChangeKind::Commitment,
                "feature fota commitment: planned → committed"
            ),
        ]
    );
    // Health never reaches sales; fota is internal, so its commitment does not either.
    assert!(filter(&cs, Some(&Lens::Sales)).is_empty());
}

#[test]
fn defaulted_status_is_compared_by_effect() {
    // v2 has no status (planned); writing "planned" is no change.
    let cs = changes(&[(
        "target = \"2027-Q4\"",
        "target = \"2027-Q4\"\nstatus = \"planned\"",
    )]);
    assert!(cs.is_empty(), "{cs:#?}");
    let c = only(&[(
        "target = \"2027-Q4\"",
        "target = \"2027-Q4\"\nstatus = \"in-progress\"",
    )]);
    assert_eq!(c.summary, "release v2 status: planned → in-progress");
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (None, Some("in-progress"))
    );
}

#[test]
fn commitment_change_of_public_feature_reaches_sales() {
    let c = only(&[("commitment = \"committed\"", "commitment = \"planned\"")]);
    assert_eq!(c.kind, ChangeKind::Commitment);
    assert_eq!(lenses(&c), ["exec", "sales", "engineering"]);
}

#[test]
fn renames_and_text_fields() {
    let c = only(&[(
        "title = \"Vibration alerts\"",
        "title = \"Vibration alarms\"",
    )]);
    assert_eq!(c.kind, ChangeKind::Renamed);
    assert_eq!(
        c.summary,
        "feature alerts renamed: \"Vibration alerts\" → \"Vibration alarms\""
    );
    assert_eq!(c.title, "Vibration alarms");
    assert!(lenses(&c).contains(&"sales"));

    let c = only(&[("\"Get an alert.\"", "\"Get an alert by SMS.\"")]);
    assert_eq!(c.kind, ChangeKind::Changed);
    assert_eq!(c.field.as_deref(), Some("customer_value"));
    assert!(lenses(&c).contains(&"sales"));

    let c = only(&[("\"Upsell.\"", "\"Service contracts.\"")]);
    assert_eq!(c.field.as_deref(), Some("business_value"));
    assert_eq!(lenses(&c), ["exec", "engineering"]);

    let long = "x".repeat(80);
    let c = only(&[("\"Upsell.\"", &format!("\"{long}\""))]);
    assert_eq!(c.summary, "feature alerts business_value changed");
    assert_eq!(c.new.as_deref(), Some(long.as_str()));
}

#[test]
fn arrays_and_numbers_as_toml_writes_them() {
    let c = only(&[("tags = [\"alerts\"]", "tags = [\"alerts\", \"sms\"]")]);
    assert_eq!(c.old.as_deref(), Some(r#"["alerts"]"#));
    assert_eq!(c.new.as_deref(), Some(r#"["alerts", "sms"]"#));
    let c = only(&[("current = 41.0", "current = 38.5")]);
    assert_eq!(c.entity, EntityKind::Metric);
    assert_eq!(c.summary, "metric downtime current: 41.0 → 38.5");
    assert_eq!(lenses(&c), ["exec"]);
}

#[test]
fn extra_fields_are_diffed_by_key() {
    let c = only(&[(
        "target = \"2027-Q4\"",
        "target = \"2027-Q4\"\n[release.extra]\nsupplier = \"Acme\"",
    )]);
    assert_eq!(c.field.as_deref(), Some("extra.supplier"));
    assert_eq!((c.old.as_deref(), c.new.as_deref()), (None, Some("Acme")));
    assert_eq!(c.summary, "release v2 extra.supplier: (none) → Acme");
}

#[test]
fn dependencies_name_added_and_removed_ids() {
    let c = only(&[(
        "customer_value = \"Updates over the air.\"",
        "customer_value = \"Updates over the air.\"\ndepends_on = [\"alerts\"]",
    )]);
    assert_eq!(c.kind, ChangeKind::Dependencies);
    assert_eq!(
        c.summary,
        "feature fota dependencies: now depends on alerts"
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("[]"), Some("[\"alerts\"]"))
    );
}

#[test]
fn work_items_move_layers_and_features() {
    // An id'd work item moves to another feature.
    let src = edit(&[
        (
            "  [[feature.work]]\n  id = \"sensor\"\n  layer = \"hardware\"\n  title = \"Accelerometer\"\n  estimate = \"10w\"\n  end = \"2027-08\"\n",
            "",
        ),
        (
            "  title = \"Update service\"\n",
            "  title = \"Update service\"\n\n  [[feature.work]]\n  id = \"sensor\"\n  layer = \"firmware\"\n  title = \"Accelerometer\"\n  estimate = \"10w\"\n  end = \"2027-08\"\n",
        ),
    ]);
    let cs = diff(&load(BASE), &load(&src));
    let got: Vec<&str> = cs.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        got,
        [
            "work item sensor moved from layer hardware to firmware",
            "work item sensor moved from feature alerts to fota",
        ]
    );
    assert_eq!(
        lenses(&cs[0]),
        ["engineering", "layer:firmware", "layer:hardware"]
    );
}

#[test]
fn work_items_without_id_are_known_by_feature_layer_title() {
    let cs = changes(&[("title = \"Sampling loop\"", "title = \"Sampling task\"")]);
    let got: Vec<(ChangeKind, &str)> = cs.iter().map(|c| (c.kind, c.id.as_str())).collect();
    assert_eq!(
        got,
        [
            (ChangeKind::Removed, "alerts/firmware/Sampling loop"),
            (ChangeKind::Added, "alerts/firmware/Sampling task"),
        ]
    );
    assert_eq!(lenses(&cs[0]), ["engineering", "layer:firmware"]);
}

#[test]
fn work_item_end_slips_and_fields_change() {
    let cs = changes(&[
        ("end = \"2027-08\"", "end = \"2027-10\""),
        ("estimate = \"10w\"", "estimate = \"12w\""),
    ]);
    let got: Vec<&str> = cs.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        got,
        [
            "work item sensor slipped by 2 months: 2027-08 → 2027-10",
            "work item sensor estimate: 10w → 12w",
        ]
    );
    assert!(filter(&cs, Some(&Lens::Exec)).is_empty());
    assert!(filter(&cs, Some(&Lens::Sales)).is_empty());
    assert_eq!(filter(&cs, Some(&Lens::Layer("hardware".into()))).len(), 2);
    assert!(filter(&cs, Some(&Lens::Layer("cloud".into()))).is_empty());
}

#[test]
fn added_and_removed_entities() {
    let cs = changes(&[(
        "[[decision]]",
        "[[feature]]\nid = \"sms\"\ntitle = \"SMS alerts\"\nrelease = \"v2\"\ncustomer_value = \"Texts.\"\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"SMS gateway\"\n\n[[decision]]",
    )]);
    let got: Vec<(EntityKind, ChangeKind, &str)> = cs
        .iter()
        .map(|c| (c.entity, c.kind, c.summary.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                EntityKind::Feature,
                ChangeKind::Added,
                "feature sms added: \"SMS alerts\" (release v2)"
            ),
            (
                EntityKind::Work,
                ChangeKind::Added,
                "work item sms/cloud/SMS gateway added: \"SMS gateway\" (layer cloud, feature sms)"
            ),
        ]
    );
    assert_eq!(lenses(&cs[0]), ["exec", "sales", "engineering"]);

    // Removing the exploring, public dashboard: sales sees it go.
    let src = edit(&[(
        "[[feature]]\nid = \"dash\"\ntitle = \"Fleet dashboard\"\nrelease = \"v2\"\ncommitment = \"exploring\"\ncustomer_value = \"See every pump.\"\n\n  [[feature.work]]\n  id = \"dash-ui\"\n  layer = \"cloud\"\n  title = \"Dashboard UI\"\n",
        "",
    )]);
    let cs = diff(&load(BASE), &load(&src));
    assert_eq!(cs.len(), 2, "{cs:#?}");
    assert_eq!(cs[0].kind, ChangeKind::Removed);
    assert_eq!(cs[0].summary, "feature dash removed: \"Fleet dashboard\"");
    assert_eq!(filter(&cs, Some(&Lens::Sales)).len(), 1);
}

#[test]
fn internal_features_never_reach_sales() {
    let cs = changes(&[
        ("title = \"Remote updates\"", "title = \"OTA\""),
        ("\"Updates over the air.\"", "\"OTA.\""),
        ("commitment = \"planned\"", "commitment = \"committed\""),
    ]);
    assert_eq!(cs.len(), 3);
    assert!(filter(&cs, Some(&Lens::Sales)).is_empty(), "{cs:#?}");
    assert_eq!(filter(&cs, Some(&Lens::Exec)).len(), 3);
}

#[test]
fn layers_themes_decisions_roadmap() {
    let cs = changes(&[
        ("team = \"FW\"", "team = \"Embedded\""),
        (
            "outcome = \"Cut downtime by 30%\"",
            "outcome = \"Cut downtime by 40%\"",
        ),
        (
            "status = \"open\"",
            "status = \"decided\"\nchoice = \"Ed25519\"",
        ),
        ("vision = \"No outages.\"", "vision = \"Zero outages.\""),
    ]);
    let got: Vec<(&str, Vec<&str>)> = cs.iter().map(|c| (c.summary.as_str(), lenses(c))).collect();
    assert_eq!(
        got,
        [
            (
                "decision ota-signing status: open → decided",
                vec!["engineering", "layer:firmware"]
            ),
            (
                "decision ota-signing choice: (none) → Ed25519",
                vec!["engineering", "layer:firmware"]
            ),
            (
                "roadmap pump vision: No outages. → Zero outages.",
                vec!["exec"]
            ),
            (
                "theme predict outcome: Cut downtime by 30% → Cut downtime by 40%",
                vec!["exec"]
            ),
            (
                "layer firmware team: FW → Embedded",
                vec!["engineering", "layer:firmware"]
            ),
        ]
    );
}

#[test]
fn order_by_importance_grouped_by_entity() {
    let cs = filter(
        &changes(&[
            ("name = \"Connected fleet\"", "name = \"Fleet\""),
            ("target = \"2027-Q4\"", "target = \"2028-Q1\""),
            ("current = 41.0", "current = 40.0"),
            ("visibility = \"internal\"\n", ""),
            ("status = \"in-progress\"", "status = \"shipped\""),
        ]),
        None,
    );
    let got: Vec<&str> = cs.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        got,
        [
            "feature fota is now visible to sales",
            "release v2 slipped by 1 quarter: 2027-Q4 → 2028-Q1",
            "release v2 renamed: \"Connected fleet\" → \"Fleet\"",
            "release v1 status: in-progress → shipped",
            "metric downtime current: 41.0 → 40.0",
        ]
    );
    assert_eq!(headline(&cs).unwrap().kind, ChangeKind::Visibility);
    assert_eq!(
        counts(&cs),
        [
            (ChangeKind::Visibility, 1),
            (ChangeKind::Slipped, 1),
            (ChangeKind::Status, 1),
            (ChangeKind::Renamed, 1),
            (ChangeKind::Changed, 1),
        ]
    );
}

#[test]
fn sources_added_removed_unparseable() {
    let base = BASE.as_bytes();
    let d = diff_sources("pump.toml", None, Some(base), TODAY);
    assert_eq!(d.status, FileStatus::Added);
    let ids: Vec<(EntityKind, &str)> = d
        .changes
        .iter()
        .map(|c| (c.entity, c.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (EntityKind::Roadmap, "pump"),
            (EntityKind::Release, "v1"),
            (EntityKind::Release, "v2"),
            (EntityKind::Feature, "alerts"),
            (EntityKind::Feature, "fota"),
            (EntityKind::Feature, "dash"),
        ]
    );
    assert!(d.changes.iter().all(|c| c.kind == ChangeKind::Added));
    // The internal feature's addition is not for sales.
    assert_eq!(filter(&d.changes, Some(&Lens::Sales)).len(), 2);

    let d = diff_sources("pump.toml", Some(base), None, TODAY);
    assert_eq!(d.status, FileStatus::Removed);
    assert!(d.changes.iter().all(|c| c.kind == ChangeKind::Removed));

    let broken = BASE.replace("target = \"2027-Q4\"", "target = \"2027-Q5\"");
    let d = diff_sources_labeled(
        "pump.toml",
        Some(base),
        Some(broken.as_bytes()),
        ("HEAD", "working tree"),
        TODAY,
    );
    assert_eq!(d.status, FileStatus::Unparseable);
    assert!(d.changes.is_empty());
    let err = d.error.unwrap();
    assert!(
        err.starts_with("new (working tree): pump.toml:47:10: invalid date `2027-Q5`"),
        "{err}"
    );
    let d = diff_sources("pump.toml", Some(b"[roadmap\n"), Some(base), TODAY);
    assert!(d.error.unwrap().starts_with("old: pump.toml:1:"));
}

#[test]
fn ledger_tracks_release_and_feature_targets() {
    let v0 = load(BASE);
    let v1 = load(&edit(&[("target = \"2027-Q4\"", "target = \"2028-Q1\"")]));
    let v2 = load(&edit(&[("status = \"open\"", "status = \"decided\"")]));
    let v3 = load(&edit(&[("target = \"2027-Q4\"", "target = \"2028-Q2\"")]));
    let snaps = [
        ("a", Some(&v0)),
        ("b", Some(&v1)),
        ("c", None),
        ("d", Some(&v2)),
        ("e", Some(&v3)),
    ];
    let l = ledger::target_ledger("v2", snaps).unwrap();
    assert_eq!(l.entity, EntityKind::Release);
    let revs: Vec<&str> = l.points.iter().map(|p| p.rev).collect();
    assert_eq!(revs, ["a", "b", "d", "e"]);
    assert_eq!(
        l.summary,
        "v2: 2027-Q4 → 2028-Q1 → 2027-Q4 → 2028-Q2, slipped 2 quarters (2 slips, 1 pull-in)"
    );
    let l = ledger::target_ledger("fota", snaps).unwrap();
    assert_eq!(l.entity, EntityKind::Feature);
    assert!(
        l.summary.starts_with("fota: 2027-Q4 (v2) → 2028-Q1 (v2)"),
        "{}",
        l.summary
    );
    let l = ledger::target_ledger("v1", snaps).unwrap();
    assert_eq!(l.summary, "v1: 2027-Q3, unchanged");
    assert!(ledger::target_ledger("sensor", snaps).is_none());
}

#[test]
fn long_ledgers_elide_the_middle() {
    let quarters = ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"];
    let maps: Vec<Roadmap> = (0..12)
        .map(|i| {
            load(&edit(&[(
                "target = \"2027-Q4\"",
                &format!("target = \"{}\"", quarters[i % 4]),
            )]))
        })
        .collect();
    let l =
        ledger::target_ledger("v2", maps.iter().enumerate().map(|(i, r)| (i, Some(r)))).unwrap();
    assert_eq!(l.points.len(), 12);
    assert_eq!(
        l.summary,
        "v2: 2027-Q1 → 2027-Q2 → 2027-Q3 → … 6 more … → 2027-Q2 → 2027-Q3 → 2027-Q4, slipped 3 quarters (9 slips, 2 pull-ins)"
    );
}
