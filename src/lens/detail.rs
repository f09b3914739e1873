//! The detail of one item, as a lens may show it.
//!
//! Outside the sales lens: every field of the entity (defaults applied to
//! status, visibility and commitment; other absent fields left out), its
//! `[extra]` fields as `extra.<key>`, and sections (dependencies both ways,
//! themes, features, work items, decisions). In the sales lens: only what the
//! sales view shows for a feature it shows, built from that view.

use super::common::{Graph, Node, estimate_text, fmt_num};
use super::sales::sales;
use super::{Detail, ItemRef, Lens};
use crate::model::{EntityKind, Extra, Feature, Roadmap, WorkItem};
use crate::vocab;

/// Section titles, so other modules (the TUI's slip ledger) can add theirs
/// beside these.
pub const DEPENDS_ON: &str = "Depends on";
pub const DEPENDED_ON_BY: &str = "Depended on by";
pub const THEMES: &str = "Themes";
pub const FEATURES: &str = "Features";
pub const WORK_ITEMS: &str = "Work items";
pub const DECISIONS: &str = "Decisions";
pub const SCHEDULE: &str = "Schedule";

/// The detail of `item` in `lens`; `None` when the lens does not show it (or
/// the roadmap has no such item).
pub fn detail(r: &Roadmap, lens: &Lens, item: &ItemRef) -> Option<Detail> {
    match lens {
        Lens::Sales => sales_detail(r, item),
        Lens::Layer(id) if r.layer(id).is_none() => None,
        _ => full_detail(r, item),
    }
}

fn sales_detail(r: &Roadmap, item: &ItemRef) -> Option<Detail> {
    if item.entity != EntityKind::Feature {
        return None;
    }
    let view = sales(r);
    view.groups.iter().find_map(|g| {
        let f = g.features.iter().find(|f| f.id == item.id)?;
        // No id: sales names features by their title.
        let mut fields = vec![("commitment".to_string(), g.commitment.to_string())];
        push_opt(&mut fields, "customer_value", f.customer_value.clone());
        push_opt(&mut fields, "when", f.when.map(|w| w.to_string()));
        Some(Detail {
            target: item.clone(),
            title: f.title.clone(),
            fields,
            sections: vec![],
        })
    })
}

type Fields = Vec<(String, String)>;
type Sections = Vec<(String, Vec<String>)>;

fn push(fields: &mut Fields, k: &str, v: impl ToString) {
    fields.push((k.to_string(), v.to_string()));
}

fn push_opt(fields: &mut Fields, k: &str, v: Option<impl ToString>) {
    if let Some(v) = v {
        push(fields, k, v);
    }
}

fn push_list(fields: &mut Fields, k: &str, v: &[String]) {
    if !v.is_empty() {
        push(fields, k, v.join(", "));
    }
}

fn push_extra(fields: &mut Fields, extra: &Extra) {
    for (k, v) in extra.iter() {
        fields.push((format!("extra.{k}"), v.to_string()));
    }
}

/// A section, unless it has no lines.
fn push_section(sections: &mut Sections, title: &str, lines: Vec<String>) {
    if !lines.is_empty() {
        sections.push((title.to_string(), lines));
    }
}

fn line(id: &str, title: &str) -> String {
    // A work item without an id is known by `feature/layer/title`: its
    // title is said there already.
    let generated = id.strip_suffix(title).is_some_and(|k| k.ends_with('/'));
    if id == title || title.is_empty() || generated {
        id.to_string()
    } else {
        format!("{id} — {title}")
    }
}

fn node_line(n: &Node<'_>) -> String {
    let r = n.item_ref();
    match n.layer() {
        Some(l) => format!("{} ({l})", line(&r.id, n.title())),
        None => line(&r.id, n.title()),
    }
}

fn dep_sections(g: &Graph<'_>, depends_on: &[String], own_id: Option<&str>) -> Sections {
    let mut out = Sections::new();
    let deps: Vec<String> = depends_on
        .iter()
        .map(|d| match g.get(d) {
            Some(n) => node_line(&n),
            None => format!("{d} (unknown)"),
        })
        .collect();
    push_section(&mut out, DEPENDS_ON, deps);
    if let Some(id) = own_id {
        let by: Vec<String> = g.dependents_of(id).iter().map(node_line).collect();
        push_section(&mut out, DEPENDED_ON_BY, by);
    }
    out
}

/// A theme by id: `id — title`, or just the id when the roadmap lacks it.
fn theme_line(r: &Roadmap, id: &str) -> String {
    match r.theme(id) {
        Some(th) => line(&th.id, &th.title),
        None => id.to_string(),
    }
}

fn work_line(f: &Feature, w: &WorkItem) -> String {
    format!(
        "{} ({}, {})",
        line(&w.key(&f.id), &w.title),
        w.layer,
        w.status()
    )
}

/// An item's place in the schedule: where it starts and ends and why, its
/// slack and the critical path it is on.
fn schedule_lines(g: &Graph<'_>, entity: EntityKind, key: &str) -> Vec<String> {
    let s = &g.sched;
    let Some(i) = s.index(entity, key) else {
        return vec![];
    };
    let p = &s.items[i];
    let mut out = vec![
        format!("start {}, {}", p.start, vocab::start_basis(&p.start_basis)),
        format!("end {}, {}", p.last_day(), vocab::end_basis(&p.end_basis)),
    ];
    if let Some(days) = p.days {
        out.push(format!("{} of work", vocab::effort(days)));
    }
    if let Some(rel) = s.critical_in(i) {
        out.push(format!(
            "{} on the critical path of release {}",
            vocab::CRITICAL,
            rel.id
        ));
    }
    match p.slack {
        Some(d) if d < 0 => out.push(format!(
            "{} late for its release's target",
            vocab::duration(d)
        )),
        // The exact days beside weeks or months, not beside days again.
        Some(d) => out.push(match vocab::duration(d) {
            w if w.ends_with("day") || w.ends_with("days") => format!("slack: {w}"),
            w => format!("slack: {w} ({d} days)"),
        }),
        None if p.open && p.undated => out.push("slack: not known (nothing places it)".into()),
        None if p.open => out.push("slack: not bounded (no dated target waits for it)".into()),
        None => {}
    }
    out
}

/// A release's schedule: its span, its critical path, its effort.
fn release_schedule(g: &Graph<'_>, id: &str) -> Vec<String> {
    let r = g.r;
    let mut out = vec![];
    let Some(rp) = g.sched.release(id) else {
        return out;
    };
    if let (Some(a), Some(b)) = (rp.start, rp.end) {
        let last = b.yesterday().unwrap_or(b);
        out.push(format!("work from {a} to {last}"));
    }
    if let Some(cp) = super::common::critical_path(r, &g.sched, id) {
        out.push(format!(
            "critical path: {}",
            vocab::plain(&vocab::critical_path(&cp))
        ));
    }
    let effort = super::common::layer_effort(r, &g.sched, id);
    if let Some(share) = vocab::effort_share(&effort) {
        out.push(format!("effort: {share}"));
    }
    for e in &effort {
        let mut l = format!("  {}: {}", e.name, vocab::effort(e.days));
        if e.unestimated > 0 {
            l.push_str(&format!(" + {} without estimate", e.unestimated));
        }
        out.push(l);
    }
    out
}

fn full_detail(r: &Roadmap, item: &ItemRef) -> Option<Detail> {
    let g = Graph::new(r);
    let mut fields = Fields::new();
    let mut sections = Sections::new();
    let id = item.id.as_str();
    let title: String = match item.entity {
        EntityKind::Roadmap => {
            let m = &r.meta;
            if m.id != id {
                return None;
            }
            push(&mut fields, "id", &m.id);
            push(&mut fields, "title", &m.title);
            push_opt(&mut fields, "owner", m.owner.as_ref());
            push_opt(&mut fields, "vision", m.vision.as_ref());
            push_opt(&mut fields, "updated", m.updated);
            push_opt(&mut fields, "schema", r.schema);
            push_extra(&mut fields, &m.extra);
            m.title.clone()
        }
        EntityKind::Layer => {
            let l = r.layer(id)?;
            push(&mut fields, "id", &l.id);
            push(&mut fields, "name", &l.name);
            push_opt(&mut fields, "team", l.team.as_ref());
            push_opt(&mut fields, "cadence", l.cadence.as_ref());
            push_opt(&mut fields, "sprint", l.sprint.as_ref());
            push_extra(&mut fields, &l.extra);
            let work: Vec<String> = r
                .work_items()
                .filter(|(_, w)| w.layer == l.id)
                .map(|(f, w)| work_line(f, w))
                .collect();
            push_section(&mut sections, WORK_ITEMS, work);
            let decisions: Vec<String> = r
                .decisions
                .iter()
                .filter(|d| d.layer == l.id)
                .map(|d| {
                    format!(
                        "{} ({}, {})",
                        line(&d.id, &d.title),
                        d.area.title(),
                        d.status()
                    )
                })
                .collect();
            push_section(&mut sections, DECISIONS, decisions);
            l.name.clone()
        }
        EntityKind::Theme => {
            let t = r.theme(id)?;
            push(&mut fields, "id", &t.id);
            push(&mut fields, "title", &t.title);
            push_opt(&mut fields, "outcome", t.outcome.as_ref());
            push_opt(&mut fields, "metric", t.metric.as_ref());
            push_extra(&mut fields, &t.extra);
            let features: Vec<String> = r
                .features
                .iter()
                .filter(|f| f.themes.contains(&t.id))
                .map(|f| format!("{} ({})", line(&f.id, &f.title), f.release))
                .collect();
            push_section(&mut sections, FEATURES, features);
            t.title.clone()
        }
        EntityKind::Metric => {
            let m = r.metric(id)?;
            push(&mut fields, "id", &m.id);
            push(&mut fields, "name", &m.name);
            push_opt(&mut fields, "unit", m.unit.as_ref());
            push_opt(&mut fields, "current", m.current.map(fmt_num));
            push_opt(&mut fields, "target", m.target.map(fmt_num));
            push_extra(&mut fields, &m.extra);
            let themes: Vec<String> = r
                .themes
                .iter()
                .filter(|t| t.metric.as_deref() == Some(id))
                .map(|t| line(&t.id, &t.title))
                .collect();
            push_section(&mut sections, THEMES, themes);
            m.name.clone()
        }
        EntityKind::Release => {
            let rel = r.release(id)?;
            push(&mut fields, "id", &rel.id);
            push(&mut fields, "name", &rel.name);
            push_opt(&mut fields, "start", rel.start);
            push_opt(&mut fields, "target", rel.target);
            push(&mut fields, "status", rel.status());
            push_opt(&mut fields, "health", rel.health);
            push_opt(&mut fields, "confidence", rel.confidence);
            push_opt(&mut fields, "summary", rel.summary.as_ref());
            push_extra(&mut fields, &rel.extra);
            let features: Vec<&Feature> =
                r.features.iter().filter(|f| f.release == rel.id).collect();
            let mut themes: Vec<String> = Vec::new();
            for f in &features {
                for t in &f.themes {
                    let l = theme_line(r, t);
                    if !themes.contains(&l) {
                        themes.push(l);
                    }
                }
            }
            push_section(&mut sections, THEMES, themes);
            let feature_lines = features
                .iter()
                .map(|f| format!("{} ({})", line(&f.id, &f.title), f.status()))
                .collect();
            push_section(&mut sections, FEATURES, feature_lines);
            let work: Vec<String> = features
                .iter()
                .flat_map(|f| f.work.iter().map(move |w| work_line(f, w)))
                .collect();
            push_section(&mut sections, WORK_ITEMS, work);
            push_section(&mut sections, SCHEDULE, release_schedule(&g, &rel.id));
            rel.name.clone()
        }
        EntityKind::Feature => {
            let f = r.feature(id)?;
            push(&mut fields, "id", &f.id);
            push(&mut fields, "title", &f.title);
            push(&mut fields, "release", &f.release);
            push_list(&mut fields, "themes", &f.themes);
            push(&mut fields, "status", f.status());
            push_opt(&mut fields, "health", f.health);
            push(&mut fields, "commitment", f.commitment());
            push(&mut fields, "visibility", f.visibility());
            push_opt(&mut fields, "customer_value", f.customer_value.as_ref());
            push_opt(&mut fields, "business_value", f.business_value.as_ref());
            push_list(&mut fields, "depends_on", &f.depends_on);
            push_list(&mut fields, "tags", &f.tags);
            push_extra(&mut fields, &f.extra);
            let themes: Vec<String> = f.themes.iter().map(|t| theme_line(r, t)).collect();
            push_section(&mut sections, THEMES, themes);
            sections.extend(dep_sections(&g, &f.depends_on, Some(&f.id)));
            let work: Vec<String> = f.work.iter().map(|w| work_line(f, w)).collect();
            push_section(&mut sections, WORK_ITEMS, work);
            push_section(
                &mut sections,
                SCHEDULE,
                schedule_lines(&g, EntityKind::Feature, &f.id),
            );
            f.title.clone()
        }
        EntityKind::Work => {
            let (f, w) = r.work_items().find(|(f, w)| w.key(&f.id) == id)?;
            push_opt(&mut fields, "id", w.id.as_ref());
            push(&mut fields, "feature", &f.id);
            push(&mut fields, "release", &f.release);
            push(&mut fields, "layer", &w.layer);
            push(&mut fields, "title", &w.title);
            push(&mut fields, "status", w.status());
            push_opt(&mut fields, "health", w.health);
            match (&w.team, r.team_of(w)) {
                (Some(t), _) => push(&mut fields, "team", t),
                (None, Some(t)) => push(&mut fields, "team", format!("{t} (layer's team)")),
                (None, None) => {}
            }
            push_opt(&mut fields, "estimate", estimate_text(w));
            push_opt(&mut fields, "start", w.start);
            push_opt(&mut fields, "end", w.end);
            push_list(&mut fields, "depends_on", &w.depends_on);
            push_opt(&mut fields, "interface", w.interface.as_ref());
            push_extra(&mut fields, &w.extra);
            sections.extend(dep_sections(&g, &w.depends_on, w.id.as_deref()));
            push_section(
                &mut sections,
                SCHEDULE,
                schedule_lines(&g, EntityKind::Work, id),
            );
            w.title.clone()
        }
        EntityKind::Decision => {
            let d = r.decisions.iter().find(|d| d.id == id)?;
            push(&mut fields, "id", &d.id);
            push(&mut fields, "layer", &d.layer);
            push(&mut fields, "area", d.area);
            push(&mut fields, "title", &d.title);
            push(&mut fields, "status", d.status());
            push_opt(&mut fields, "choice", d.choice.as_ref());
            push_extra(&mut fields, &d.extra);
            d.title.clone()
        }
    };
    Some(Detail {
        target: item.clone(),
        title,
        fields,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::{Area, Visibility};

    fn sample() -> Roadmap {
        let mut r = roadmap();
        r.releases = vec![release("v1", Some("2027-Q3"))];
        r.themes = vec![theme("t1", "Trust")];
        let mut f = feature("f1", "v1");
        f.themes = vec!["t1".into()];
        f.customer_value = Some("CV".into());
        f.business_value = Some("BV".into());
        f.extra = Extra(vec![("jira".into(), "PUMP-12".into())]);
        let mut w = work("w1", "hardware", Some("2027-06"), Some("10w"));
        w.interface = Some("SPI".into());
        let mut w2 = work("w2", "firmware", None, None);
        w2.depends_on = vec!["w1".into()];
        f.work = vec![w, w2];
        let mut g = feature("g1", "v1");
        g.depends_on = vec!["f1".into()];
        g.visibility = Some(Visibility::Internal);
        r.features = vec![f, g];
        r.decisions = vec![decision("d", "hardware", Area::Data)];
        r
    }

    fn r(entity: EntityKind, id: &str) -> ItemRef {
        ItemRef {
            entity,
            id: id.into(),
        }
    }

    fn field<'a>(d: &'a Detail, k: &str) -> Option<&'a str> {
        d.fields
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.as_str())
    }

    fn section<'a>(d: &'a Detail, k: &str) -> Option<&'a Vec<String>> {
        d.sections.iter().find(|(x, _)| x == k).map(|(_, v)| v)
    }

    #[test]
    fn feature_detail_has_every_field_extra_and_sections() {
        let rm = sample();
        let d = detail(&rm, &Lens::Exec, &r(EntityKind::Feature, "f1")).unwrap();
        assert_eq!(field(&d, "business_value"), Some("BV"));
        assert_eq!(field(&d, "visibility"), Some("public"));
        assert_eq!(field(&d, "commitment"), Some("planned"));
        assert_eq!(field(&d, "extra.jira"), Some("PUMP-12"));
        assert_eq!(section(&d, THEMES).unwrap(), &["t1 — Trust"]);
        assert_eq!(section(&d, DEPENDED_ON_BY).unwrap(), &["g1 — Feature g1"]);
        assert_eq!(section(&d, WORK_ITEMS).unwrap().len(), 2);
    }

    #[test]
    fn work_detail_has_dependencies_both_ways() {
        let rm = sample();
        let d = detail(&rm, &Lens::Engineering, &r(EntityKind::Work, "w1")).unwrap();
        assert_eq!(field(&d, "estimate"), Some("10w"));
        assert_eq!(field(&d, "interface"), Some("SPI"));
        assert_eq!(
            section(&d, DEPENDED_ON_BY).unwrap(),
            &["w2 — Work w2 (firmware)"]
        );
        let d2 = detail(&rm, &Lens::Engineering, &r(EntityKind::Work, "w2")).unwrap();
        assert_eq!(
            section(&d2, DEPENDS_ON).unwrap(),
            &["w1 — Work w1 (hardware)"]
        );
    }

    #[test]
    fn a_generated_key_says_its_title_once() {
        assert_eq!(line("f3/apps/App work", "App work"), "f3/apps/App work");
        assert_eq!(line("w1", "Sensor board"), "w1 — Sensor board");
    }

    #[test]
    fn details_say_where_the_schedule_comes_from() {
        let rm = sample();
        let d = detail(&rm, &Lens::Engineering, &r(EntityKind::Work, "w2")).unwrap();
        let lines = section(&d, SCHEDULE).unwrap();
        // w1 ends with June 2027; w2, without dates or estimate, right after.
        assert_eq!(
            lines[..2],
            [
                "start 2027-07-01, derived from depends_on w1".to_string(),
                "end 2027-07-01, no estimate: taken as no days".to_string(),
            ]
        );
        assert!(
            lines.contains(&"★ on the critical path of release v1".to_string()),
            "{lines:?}"
        );
        // Slack in days is said once ("0 days (0 days)" was said twice).
        let slack: Vec<&String> = lines.iter().filter(|l| l.starts_with("slack")).collect();
        assert!(!slack.is_empty(), "{lines:?}");
        assert!(slack.iter().all(|l| !l.contains("days (")), "{slack:?}");
        let d = detail(&rm, &Lens::Exec, &r(EntityKind::Release, "v1")).unwrap();
        let lines = section(&d, SCHEDULE).unwrap();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("critical path: Work w2 ← Work w1 — Device hardware")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"effort: 10 of 10 weeks in Device hardware".to_string()),
            "{lines:?}"
        );
        // Sales never sees it.
        let d = detail(&rm, &Lens::Sales, &r(EntityKind::Feature, "f1")).unwrap();
        assert!(section(&d, SCHEDULE).is_none());
    }

    #[test]
    fn sales_detail_shows_only_sales_fields() {
        let rm = sample();
        let d = detail(&rm, &Lens::Sales, &r(EntityKind::Feature, "f1")).unwrap();
        let keys: Vec<_> = d.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["commitment", "customer_value", "when"]);
        assert!(d.sections.is_empty());
        let json = serde_json::to_string(&d).unwrap();
        assert!(!json.contains("BV") && !json.contains("PUMP-12") && !json.contains("w1"));
        // Internal features, work items, releases: not in the sales lens.
        assert!(detail(&rm, &Lens::Sales, &r(EntityKind::Feature, "g1")).is_none());
        assert!(detail(&rm, &Lens::Sales, &r(EntityKind::Work, "w1")).is_none());
        assert!(detail(&rm, &Lens::Sales, &r(EntityKind::Release, "v1")).is_none());
    }

    #[test]
    fn every_entity_kind_has_a_detail_and_unknown_ids_none() {
        let rm = sample();
        for (k, id) in [
            (EntityKind::Roadmap, "rm"),
            (EntityKind::Layer, "hardware"),
            (EntityKind::Theme, "t1"),
            (EntityKind::Release, "v1"),
            (EntityKind::Decision, "d"),
        ] {
            assert!(detail(&rm, &Lens::Exec, &r(k, id)).is_some(), "{k} {id}");
            assert!(detail(&rm, &Lens::Exec, &r(k, "nope")).is_none(), "{k}");
        }
        assert!(
            detail(
                &rm,
                &Lens::Layer("nope".into()),
                &r(EntityKind::Release, "v1")
            )
            .is_none()
        );
    }
}
