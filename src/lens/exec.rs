//! The executive lens: timeline, themes, metrics, risks, each release's
//! critical path and where its effort goes, schedule conflicts.

use super::common::{
    conflict_lines, critical_path, header, is_open, layer_effort, releases_in_time_order,
    target_key,
};
use super::{
    ExecFeature, ExecRelease, ExecTheme, ExecView, MetricLine, RiskLine, ThemeFeature,
    TimelineBucket,
};
use crate::model::{DateSpec, EntityKind, Feature, Horizon, Metric, Release, Roadmap};
use crate::plan::{self, Schedule};
use jiff::civil::Date;
use std::collections::HashMap;

/// The executive view of a roadmap.
pub fn exec(r: &Roadmap) -> ExecView {
    let s = plan::schedule(r);
    ExecView {
        roadmap: header(r),
        timeline: timeline(r, &s),
        themes: r
            .themes
            .iter()
            .map(|t| ExecTheme {
                id: t.id.clone(),
                title: t.title.clone(),
                outcome: t.outcome.clone(),
                metric: t
                    .metric
                    .as_deref()
                    .and_then(|m| r.metric(m))
                    .map(metric_line),
                features: r
                    .features
                    .iter()
                    .filter(|f| f.themes.contains(&t.id))
                    .map(|f| ThemeFeature {
                        id: f.id.clone(),
                        title: f.title.clone(),
                        release: f.release.clone(),
                    })
                    .collect(),
            })
            .collect(),
        metrics: r.metrics.iter().map(metric_line).collect(),
        risks: risks(r),
        conflicts: conflict_lines(r, &s),
    }
}

fn metric_line(m: &Metric) -> MetricLine {
    MetricLine {
        id: m.id.clone(),
        name: m.name.clone(),
        unit: m.unit.clone(),
        current: m.current,
        target: m.target,
    }
}

/// The bucket a target falls in: its quarter for days, months and quarters;
/// the half or year itself; Now / Next / Later for horizons. The returned
/// spec orders the buckets.
fn bucket(t: &DateSpec) -> (String, DateSpec) {
    match t {
        DateSpec::Horizon(h) => {
            let label = match h {
                Horizon::Now => "Now",
                Horizon::Next => "Next",
                Horizon::Later => "Later",
            };
            (label.to_string(), *t)
        }
        DateSpec::Day(_) | DateSpec::Month { .. } | DateSpec::Quarter { .. } => {
            let q = t.coarse_quarter();
            (q.to_string(), q)
        }
        DateSpec::Half { .. } | DateSpec::Year(_) => (t.to_string(), *t),
    }
}

pub(crate) const NO_TARGET: &str = "No target";

fn timeline(r: &Roadmap, s: &Schedule) -> Vec<TimelineBucket> {
    // (order key, label, releases)
    type Key = (bool, (Date, Date));
    let mut buckets: Vec<(Key, String, Vec<ExecRelease>)> = Vec::new();
    let mut by_release: HashMap<&str, Vec<&Feature>> = HashMap::new();
    for f in &r.features {
        by_release.entry(f.release.as_str()).or_default().push(f);
    }
    for rel in releases_in_time_order(r) {
        let (key, label) = match &rel.target {
            Some(t) => {
                let (label, spec) = bucket(t);
                (target_key(Some(&spec), r.today), label)
            }
            None => (target_key(None, r.today), NO_TARGET.to_string()),
        };
        let features = by_release.get(rel.id.as_str()).map(Vec::as_slice);
        let er = exec_release(r, s, rel, features.unwrap_or_default());
        match buckets.iter_mut().find(|b| b.1 == label) {
            Some(b) => b.2.push(er),
            None => buckets.push((key, label, vec![er])),
        }
    }
    buckets.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    buckets
        .into_iter()
        .map(|(_, label, releases)| TimelineBucket { label, releases })
        .collect()
}

fn exec_release(r: &Roadmap, s: &Schedule, rel: &Release, features: &[&Feature]) -> ExecRelease {
    // Themes its features serve, in theme order; unknown ids by id, after.
    let mut themes: Vec<String> = r
        .themes
        .iter()
        .filter(|t| features.iter().any(|f| f.themes.contains(&t.id)))
        .map(|t| t.title.clone())
        .collect();
    for f in features {
        for id in &f.themes {
            if r.theme(id).is_none() && !themes.contains(id) {
                themes.push(id.clone());
            }
        }
    }
    ExecRelease {
        id: rel.id.clone(),
        name: rel.name.clone(),
        start: rel.start,
        target: rel.target,
        status: rel.status(),
        health: rel.health,
        confidence: rel.confidence,
        summary: rel.summary.clone(),
        critical_path: critical_path(r, s, &rel.id),
        effort: layer_effort(r, s, &rel.id),
        themes,
        features: features
            .iter()
            .map(|f| ExecFeature {
                id: f.id.clone(),
                title: f.title.clone(),
                status: f.status(),
                health: f.health,
                visibility: f.visibility(),
                business_value: f.business_value.clone(),
            })
            .collect(),
    }
}

/// Releases, features and work items whose health is at risk, off track or
/// blocked, worst first; finished (shipped or cancelled) items are left out.
fn risks(r: &Roadmap) -> Vec<RiskLine> {
    let mut out = Vec::new();
    for rel in releases_in_time_order(r) {
        if let Some(h) = rel.health.filter(|h| h.is_troubled())
            && is_open(rel.status())
        {
            out.push(RiskLine {
                entity: EntityKind::Release,
                id: rel.id.clone(),
                title: rel.name.clone(),
                health: h,
                release: None,
            });
        }
    }
    for f in &r.features {
        if let Some(h) = f.health.filter(|h| h.is_troubled())
            && is_open(f.status())
        {
            out.push(RiskLine {
                entity: EntityKind::Feature,
                id: f.id.clone(),
                title: f.title.clone(),
                health: h,
                release: Some(f.release.clone()),
            });
        }
    }
    for (f, w) in r.work_items() {
        if let Some(h) = w.health.filter(|h| h.is_troubled())
            && is_open(w.status())
        {
            out.push(RiskLine {
                entity: EntityKind::Work,
                id: w.key(&f.id),
                title: w.title.clone(),
                health: h,
                release: Some(f.release.clone()),
            });
        }
    }
    // Worst first (blocked, off track, at risk); stable within a severity.
    out.sort_by_key(|x| std::cmp::Reverse(x.health));
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::{Health, Status, Visibility};

    #[test]
    fn timeline_buckets_by_quarter_half_year_and_horizon_in_time_order() {
        let mut r = roadmap();
        r.releases = vec![
            release("later1", Some("later")),
            release("q4", Some("2027-Q4")),
            release("day", Some("2027-08-14")),
            release("month", Some("2027-09")),
            release("none", None),
            release("h1", Some("2028-H1")),
            release("y", Some("2029")),
            release("now1", Some("now")),
            release("next1", Some("next")),
        ];
        let v = exec(&r);
        let labels: Vec<_> = v.timeline.iter().map(|b| b.label.as_str()).collect();
        // today 2027-05-10: now = Q2 2027, next = Q3..Q4 2027, later = 2028+;
        // buckets sort by the end of their interval, then by its start.
        assert_eq!(
            labels,
            [
                "Now",
                "2027-Q3",
                "Next",
                "2027-Q4",
                "2028-H1",
                "2029",
                "Later",
                "No target"
            ]
        );
        let q3: Vec<_> = v.timeline[1].releases.iter().map(|r| &r.id).collect();
        assert_eq!(q3, ["day", "month"]);
    }

    #[test]
    fn releases_carry_status_themes_features_and_values() {
        let mut r = roadmap();
        r.releases = vec![release("v1", Some("2027-Q3"))];
        r.releases[0].health = Some(Health::AtRisk);
        r.themes = vec![theme("t1", "Trust"), theme("t2", "Unused")];
        r.themes[0].metric = Some("m1".into());
        r.metrics = vec![metric("m1")];
        let mut f = feature("f1", "v1");
        f.themes = vec!["t1".into()];
        f.business_value = Some("Upsell".into());
        f.visibility = Some(Visibility::Internal);
        r.features = vec![f];
        let v = exec(&r);
        let rel = &v.timeline[0].releases[0];
        assert_eq!(rel.health, Some(Health::AtRisk));
        assert_eq!(rel.status, Status::Planned);
        assert_eq!(rel.themes, ["Trust"]);
        assert_eq!(rel.features[0].business_value.as_deref(), Some("Upsell"));
        assert_eq!(rel.features[0].visibility, Visibility::Internal);
        assert_eq!(v.themes[0].features[0].id, "f1");
        assert_eq!(
            v.themes[0].metric.as_ref().map(|m| m.id.as_str()),
            Some("m1")
        );
        assert!(v.themes[1].features.is_empty());
        assert_eq!(v.metrics.len(), 1);
        assert_eq!(v.risks.len(), 1);
        assert_eq!(v.risks[0].entity, EntityKind::Release);
    }

    #[test]
    fn releases_carry_their_critical_path_and_effort() {
        let mut r = roadmap();
        r.releases = vec![release("v1", Some("2027-Q3")), release("v2", None)];
        r.releases[0].start = Some(spec("2027-06"));
        let mut f1 = feature("f1", "v1");
        let mut b = work("b", "firmware", None, Some("3w"));
        b.depends_on = vec!["a".into()];
        f1.work = vec![
            work("a", "hardware", None, Some("10w")),
            b,
            work("c", "cloud", None, Some("2w")),
        ];
        let mut f2 = feature("f2", "v2");
        f2.work = vec![work("d", "apps", None, None)];
        r.features = vec![f1, f2];
        let v = exec(&r);
        let find = |id: &str| {
            v.timeline
                .iter()
                .flat_map(|b| &b.releases)
                .find(|x| x.id == id)
                .cloned()
                .unwrap()
        };
        let v1 = find("v1");
        let cp = v1.critical_path.expect("a path");
        let keys: Vec<_> = cp.steps.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
        // 2027-06-01 + 70 + 21 days: ends 2027-08-30, 31 days before Q3 ends.
        assert_eq!(cp.ends.to_string(), "2027-08-30");
        assert_eq!(cp.slack_days, Some(31));
        assert_eq!(cp.layer.as_deref(), Some("Device hardware"));
        let effort: Vec<_> = v1
            .effort
            .iter()
            .map(|e| (e.name.as_str(), e.days))
            .collect();
        assert_eq!(
            effort,
            [
                ("Device hardware", 70.0),
                ("Device software", 21.0),
                ("Cloud platform", 14.0)
            ]
        );
        // No target: no slack; no estimate: effort without days.
        let v2 = find("v2");
        assert_eq!(v2.critical_path.and_then(|c| c.slack_days), None);
        assert_eq!(v2.effort[0].unestimated, 1);
        // A path that ends with work of no days ends on the day it starts,
        // not the day before (it said "ends 2027-05-31" for work starting
        // with its release on 2027-06-01).
        let mut r = roadmap();
        r.releases = vec![release("v1", Some("2027-Q3"))];
        r.releases[0].start = Some(spec("2027-06-01"));
        let mut f = feature("f1", "v1");
        f.work = vec![work("a", "hardware", None, None)];
        r.features = vec![f];
        let v = exec(&r);
        let cp = v.timeline[0].releases[0].critical_path.clone();
        assert_eq!(cp.expect("a path").ends.to_string(), "2027-06-01");
    }

    #[test]
    fn risks_cover_releases_features_and_work_worst_first() {
        let mut r = roadmap();
        r.releases = vec![release("v1", Some("2027-Q3"))];
        let mut f = feature("f1", "v1");
        f.health = Some(Health::AtRisk);
        let mut w = work("w1", "hardware", None, None);
        w.health = Some(Health::Blocked);
        let mut done = work("w2", "hardware", None, None);
        done.health = Some(Health::OffTrack);
        done.status = Some(Status::Shipped);
        let mut ok = work("w3", "hardware", None, None);
        ok.health = Some(Health::OnTrack);
        f.work = vec![w, done, ok];
        r.features = vec![f];
        let v = exec(&r);
        let ids: Vec<_> = v.risks.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["w1", "f1"]);
        assert_eq!(v.risks[0].release.as_deref(), Some("v1"));
    }

    #[test]
    fn dangling_references_do_not_panic() {
        let mut r = roadmap();
        r.layers.clear();
        let mut f = feature("f1", "nope");
        f.themes = vec!["ghost".into()];
        f.depends_on = vec!["nothing".into()];
        f.work = vec![work("w", "nolayer", Some("2027-05"), Some("1w"))];
        r.features = vec![f];
        r.themes = vec![theme("t", "T")];
        r.themes[0].metric = Some("missing".into());
        r.releases = vec![release("nope", Some("later"))];
        let v = exec(&r);
        let cp = v.timeline[0].releases[0].critical_path.clone();
        assert_eq!(cp.and_then(|c| c.layer).as_deref(), Some("nolayer"));
        assert_eq!(v.timeline[0].releases[0].themes, ["ghost"]);
        assert!(v.themes[0].metric.is_none());
    }
}
