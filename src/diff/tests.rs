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
    let cs: Vec<Change> = changes(pairs);
    assert_eq!(cs.len(), 1, "{cs:#?}");
    cs.into_iter().next().unwrap()
}

/// What `lens` notices of an edit of BASE.
fn seen(pairs: &[(&str, &str)], lens: &Lens) -> Vec<Change> {
    audience(Some(&load(BASE)), Some(&load(&edit(pairs))), lens)
}

fn sales(pairs: &[(&str, &str)]) -> Vec<Change> {
    seen(pairs, &Lens::Sales)
}

/// The lenses of BASE that notice an edit.
fn noticed(pairs: &[(&str, &str)]) -> Vec<String> {
    crate::lens::lenses(&load(BASE))
        .into_iter()
        .filter(|l| !seen(pairs, l).is_empty())
        .map(|l| l.name())
        .collect()
}

fn summaries(cs: &[Change]) -> Vec<&str> {
    cs.iter().map(|c| c.summary.as_str()).collect()
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
    // Every lens showing v2's target: each layer's slice lists every
    // release; sales sees no public, dated feature of v2.
    assert_eq!(
        noticed(&[("target = \"2027-Q4\"", "target = \"2028-Q1\"")]),
        [
            "exec",
            "engineering",
            "layer:hardware",
            "layer:firmware",
            "layer:comms",
            "layer:cloud",
            "layer:apps"
        ]
    );
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
fn sales_sees_the_slip_of_a_committed_public_feature_by_its_quarter() {
    let ed = [("target = \"2027-Q3\"", "target = \"2027-Q4\"")];
    let cs = sales(&ed);
    assert_eq!(cs.len(), 1, "{cs:#?}");
    let d = &cs[0];
    assert_eq!((d.entity, d.id.as_str()), (EntityKind::Feature, "alerts"));
    assert_eq!(d.kind, ChangeKind::Slipped);
    assert_eq!(d.field.as_deref(), Some("when"));
    // Worded with what the sales view holds: no release id.
    assert_eq!(
        d.summary,
        "feature \"Vibration alerts\" slipped by 1 quarter: 2027-Q3 → 2027-Q4"
    );
    assert_eq!(
        d.amount.map(|a| a.to_string()).as_deref(),
        Some("1 quarter")
    );
    // The full diff says it of the release.
    assert_eq!(
        summaries(&changes(&ed)),
        ["release v1 slipped by 1 quarter: 2027-Q3 → 2027-Q4"]
    );
}

#[test]
fn sales_gets_no_dates_for_exploring_or_internal_features() {
    // v2 holds an internal feature and an exploring one: nothing for sales.
    let cs = sales(&[("target = \"2027-Q4\"", "target = \"2028-Q2\"")]);
    assert!(cs.is_empty(), "{cs:#?}");
}

#[test]
fn refinement_within_a_quarter_is_invisible_to_sales() {
    let cs = sales(&[("target = \"2027-Q3\"", "target = 2027-09-30")]);
    assert!(cs.is_empty(), "{cs:#?}");
}

#[test]
fn feature_moved_between_releases() {
    let ed = [("release = \"v1\"", "release = \"v2\"")];
    let cs = changes(&ed);
    let moved = cs.iter().find(|c| c.kind == ChangeKind::Moved).unwrap();
    assert_eq!(moved.summary, "feature alerts moved from release v1 to v2");
    assert_eq!(moved.field.as_deref(), Some("release"));
    // The cloud layer does not: its v2 work has no date, estimate or
    // dependency (drawn "no date"), so it was never on v2's critical path
    // for the sensor work moving in to take it from.
    assert_eq!(
        noticed(&ed),
        [
            "exec",
            "sales",
            "engineering",
            "layer:hardware",
            "layer:firmware"
        ]
    );
    assert!(seen(&ed, &Lens::Layer("cloud".into())).is_empty());
    // Sales: its date, not the release it moved to.
    assert_eq!(
        summaries(&sales(&ed)),
        ["feature \"Vibration alerts\" slipped by 1 quarter: 2027-Q3 → 2027-Q4"]
    );
}

#[test]
fn visibility_changes_are_headlines_for_sales() {
    let ed = [("visibility = \"internal\"\n", "")];
    let c = &changes(&ed)[0];
    assert_eq!(c.kind, ChangeKind::Visibility);
    assert_eq!(c.summary, "feature fota is now visible to sales");
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("internal"), None)
    );
    let s = sales(&ed);
    assert_eq!(
        summaries(&s),
        ["feature is now visible to sales: \"Remote updates\" (2027-Q4)"]
    );
    assert_eq!(s[0].kind, ChangeKind::Visibility);

    let ed = [(
        "commitment = \"committed\"",
        "commitment = \"committed\"\nvisibility = \"internal\"",
    )];
    let c = &changes(&ed)[0];
    assert_eq!(
        c.summary,
        "feature alerts is now internal (hidden from sales)"
    );
    assert_eq!(
        summaries(&sales(&ed)),
        ["feature is no longer visible to sales: \"Vibration alerts\""]
    );
    // Writing out the default is not a change.
    let cs = changes(&[(
        "commitment = \"committed\"",
        "commitment = \"committed\"\nvisibility = \"public\"",
    )]);
    assert!(cs.is_empty(), "{cs:#?}");
}

#[test]
fn status_health_confidence_commitment() {
    let ed = [
        ("status = \"in-progress\"", "status = \"shipped\""),
        ("health = \"on-track\"", "health = \"at-risk\""),
        ("confidence = \"medium\"", "confidence = \"low\""),
        ("commitment = \"planned\"", "commitment = \"committed\""),
    ];
    let cs = changes(&ed);
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
    // Health never reaches sales; fota is internal, so its commitment does
    // not either; v1 shipping makes its feature available now.
    assert_eq!(
        summaries(&sales(&ed)),
        ["feature \"Vibration alerts\" now available (was 2027-Q3)"]
    );
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
    let ed = [("commitment = \"committed\"", "commitment = \"planned\"")];
    let c = only(&ed);
    assert_eq!(c.kind, ChangeKind::Commitment);
    // Only sales shows commitments.
    assert_eq!(noticed(&ed), ["sales"]);
    assert_eq!(
        summaries(&sales(&ed)),
        ["feature \"Vibration alerts\" commitment: committed → planned"]
    );
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
    assert!(
        noticed(&[(
            "title = \"Vibration alerts\"",
            "title = \"Vibration alarms\""
        )])
        .contains(&"sales".to_string())
    );

    let ed = [("\"Get an alert.\"", "\"Get an alert by SMS.\"")];
    let c = only(&ed);
    assert_eq!(c.kind, ChangeKind::Changed);
    assert_eq!(c.field.as_deref(), Some("customer_value"));
    assert_eq!(noticed(&ed), ["sales"]);

    let ed = [("\"Upsell.\"", "\"Service contracts.\"")];
    let c = only(&ed);
    assert_eq!(c.field.as_deref(), Some("business_value"));
    assert_eq!(noticed(&ed), ["exec"]);

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
    let ed = [("current = 41.0", "current = 38.5")];
    let c = only(&ed);
    assert_eq!(c.entity, EntityKind::Metric);
    assert_eq!(c.summary, "metric downtime current: 41.0 → 38.5");
    assert_eq!(noticed(&ed), ["exec"]);
    assert_eq!(
        summaries(&seen(&ed, &Lens::Exec)),
        ["metric downtime current: 41.0 → 38.5"]
    );
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
    let (a, b) = (load(BASE), load(&src));
    let hw = audience(Some(&a), Some(&b), &Lens::Layer("hardware".into()));
    assert!(
        summaries(&hw).contains(&"work item sensor moved out of layer hardware: \"Accelerometer\""),
        "{hw:#?}"
    );
    let fw = audience(Some(&a), Some(&b), &Lens::Layer("firmware".into()));
    assert!(
        summaries(&fw).contains(&"work item sensor moved into layer firmware: \"Accelerometer\""),
        "{fw:#?}"
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
    assert_eq!(
        noticed(&[("title = \"Sampling loop\"", "title = \"Sampling task\"")]),
        ["engineering", "layer:firmware"]
    );
}

#[test]
fn work_item_end_slips_and_fields_change() {
    let ed = [
        ("end = \"2027-08\"", "end = \"2027-10\""),
        ("estimate = \"10w\"", "estimate = \"12w\""),
    ];
    let cs = changes(&ed);
    let got: Vec<&str> = cs.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        got,
        [
            "work item sensor slipped by 2 months: 2027-08 → 2027-10",
            "work item sensor estimate: 10w → 12w",
        ]
    );
    // The executive lens notices what that does to v1: its critical path
    // now ends after the target (a derived change, and a schedule
    // conflict), and its hardware effort grew.
    let exec = seen(&ed, &Lens::Exec);
    assert_eq!(
        summaries(&exec),
        [
            "release v1 critical path now ends 2027-10-31, 4 weeks after its target (was 2027-08-31, 4 weeks of slack to the target)",
            "release v1 schedule conflict: v1 targets 2027-Q3, its critical path ends 2027-10-31",
            "release v1 effort: Device hardware 70 days → 84 days",
        ]
    );
    assert_eq!(exec[0].kind, ChangeKind::CriticalPath);
    assert_eq!(exec[1].kind, ChangeKind::Conflict);
    assert!(sales(&ed).is_empty());
    assert_eq!(
        summaries(&seen(&ed, &Lens::Layer("hardware".into()))),
        [
            "work item sensor slipped by 2 months: 2027-08 → 2027-10",
            "work item sensor estimate: 10w → 12w",
            "work item sensor slack: 30 days → 31 days late",
            "release v1 effort: Device hardware 70 days → 84 days",
        ]
    );
    assert!(seen(&ed, &Lens::Layer("cloud".into())).is_empty());
}

#[test]
fn added_and_removed_entities() {
    let ed = [(
        "[[decision]]",
        "[[feature]]\nid = \"sms\"\ntitle = \"SMS alerts\"\nrelease = \"v2\"\ncustomer_value = \"Texts.\"\n  [[feature.work]]\n  layer = \"cloud\"\n  title = \"SMS gateway\"\n\n[[decision]]",
    )];
    let cs = changes(&ed);
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
    assert_eq!(
        summaries(&sales(&ed)),
        ["feature added: \"SMS alerts\" (2027-Q4)"]
    );

    // Removing the exploring, public dashboard: sales sees it go.
    let src = edit(&[(
        "[[feature]]\nid = \"dash\"\ntitle = \"Fleet dashboard\"\nrelease = \"v2\"\ncommitment = \"exploring\"\ncustomer_value = \"See every pump.\"\n\n  [[feature.work]]\n  id = \"dash-ui\"\n  layer = \"cloud\"\n  title = \"Dashboard UI\"\n",
        "",
    )]);
    let (a, b) = (load(BASE), load(&src));
    let cs = diff(&a, &b);
    assert_eq!(cs.len(), 2, "{cs:#?}");
    assert_eq!(cs[0].kind, ChangeKind::Removed);
    assert_eq!(cs[0].summary, "feature dash removed: \"Fleet dashboard\"");
    assert_eq!(
        summaries(&audience(Some(&a), Some(&b), &Lens::Sales)),
        ["feature removed: \"Fleet dashboard\""]
    );
}

#[test]
fn internal_features_never_reach_sales() {
    let ed = [
        ("title = \"Remote updates\"", "title = \"OTA\""),
        ("\"Updates over the air.\"", "\"OTA.\""),
        ("commitment = \"planned\"", "commitment = \"committed\""),
    ];
    assert_eq!(changes(&ed).len(), 3);
    assert!(sales(&ed).is_empty());
    // The executive lens shows the title (customer value and commitment are
    // sales text), on the release and on no theme.
    assert_eq!(
        summaries(&seen(&ed, &Lens::Exec)),
        ["feature fota renamed: \"Remote updates\" → \"OTA\""]
    );
}

#[test]
fn layers_themes_decisions_roadmap() {
    let ed = [
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
    ];
    assert_eq!(
        summaries(&changes(&ed)),
        [
            "decision ota-signing status: open → decided",
            "decision ota-signing choice: (none) → Ed25519",
            "roadmap pump vision: No outages. → Zero outages.",
            "theme predict outcome: Cut downtime by 30% → Cut downtime by 40%",
            "layer firmware team: FW → Embedded",
        ]
    );
    assert_eq!(
        summaries(&seen(&ed, &Lens::Exec)),
        [
            "roadmap pump vision: No outages. → Zero outages.",
            "theme predict outcome: Cut downtime by 30% → Cut downtime by 40%",
        ]
    );
    assert_eq!(
        summaries(&seen(&ed, &Lens::Layer("firmware".into()))),
        [
            "decision ota-signing status: open → decided",
            "decision ota-signing choice: (none) → Ed25519",
            "roadmap pump vision: No outages. → Zero outages.",
            "layer firmware team: FW → Embedded",
            // Its work item has no team of its own: the layer's shows.
            "work item alerts/firmware/Sampling loop team: FW → Embedded",
        ]
    );
    // The sales view shows the vision too.
    assert_eq!(
        summaries(&sales(&ed)),
        ["roadmap vision: No outages. → Zero outages."]
    );
}

#[test]
fn order_by_importance_grouped_by_entity() {
    let cs = changes(&[
        ("name = \"Connected fleet\"", "name = \"Fleet\""),
        ("target = \"2027-Q4\"", "target = \"2028-Q1\""),
        ("current = 41.0", "current = 40.0"),
        ("visibility = \"internal\"\n", ""),
        ("status = \"in-progress\"", "status = \"shipped\""),
    ]);
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
    let d = diff_sources_labeled(
        "pump.toml",
        None,
        Some(base),
        ("a", "b"),
        TODAY,
        Some(&Lens::Sales),
    );
    assert_eq!(
        summaries(&d.changes),
        [
            "roadmap added: \"Smart Pump\"",
            "feature added: \"Vibration alerts\" (2027-Q3)",
            "feature added: \"Fleet dashboard\""
        ]
    );

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
        None,
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

/// Sides together larger than `PARALLEL_LOAD_BYTES` load on two threads:
/// each side is still its own (old is old, new is new), also when one
/// side has errors.
#[test]
fn large_sides_load_in_parallel_each_as_itself() {
    let pad: String = (0..2_000)
        .map(|i| {
            format!("\n[[feature]]\nid = \"pad-{i}\"\ntitle = \"Padding {i}\"\nrelease = \"v2\"\n")
        })
        .collect();
    let old = format!("{BASE}{pad}");
    let new = format!(
        "{}{pad}",
        edit(&[("target = \"2027-Q4\"", "target = \"2028-Q1\"")])
    );
    assert!(old.len() + new.len() > PARALLEL_LOAD_BYTES);
    let (o, n) = load_sides(
        "pump.toml",
        Some(old.as_bytes()),
        Some(new.as_bytes()),
        TODAY,
    );
    let (o, n) = (o.unwrap(), n.unwrap());
    assert_eq!(o.source, old);
    assert_eq!(n.source, new);
    let fd = diff_sources(
        "pump.toml",
        Some(old.as_bytes()),
        Some(new.as_bytes()),
        TODAY,
    );
    assert_eq!(
        summaries(&fd.changes),
        ["release v2 slipped by 1 quarter: 2027-Q4 → 2028-Q1"]
    );
    // A broken side is named as the side it is.
    for (o, n, side) in [
        (format!("{old}x = \n"), new.clone(), "old"),
        (old.clone(), format!("{new}x = \n"), "new"),
    ] {
        let fd = diff_sources("pump.toml", Some(o.as_bytes()), Some(n.as_bytes()), TODAY);
        assert_eq!(fd.status, FileStatus::Unparseable);
        let error = fd.error.unwrap_or_default();
        assert!(error.starts_with(side), "{side}: {error}");
    }
}
