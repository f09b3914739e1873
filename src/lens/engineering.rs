//! The engineering lens: the story map (releases × layers) with each cell's
//! effort and each release's critical path, dependencies, blocked items,
//! interfaces and schedule conflicts.

use super::common::{
    Graph, cell_effort, conflict_lines, critical_path, header, layer_head, release_head,
    releases_in_time_order,
};
use super::{EngineeringView, StoryRow, WorkCard};
use crate::model::Roadmap;
use std::collections::HashMap;

/// The engineering view of a roadmap.
pub fn engineering(r: &Roadmap) -> EngineeringView {
    let g = Graph::new(r);
    // One pass over the work items: (release, layer) → cards, in file order.
    let mut cells: HashMap<(&str, &str), Vec<WorkCard>> = HashMap::new();
    for (f, w) in r.work_items() {
        cells
            .entry((f.release.as_str(), w.layer.as_str()))
            .or_default()
            .push(g.card(f, w));
    }
    let rows = releases_in_time_order(r)
        .into_iter()
        .map(|rel| StoryRow {
            release: release_head(rel),
            cells: r
                .layers
                .iter()
                .map(|l| {
                    cells
                        .get(&(rel.id.as_str(), l.id.as_str()))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect(),
            effort: r
                .layers
                .iter()
                .map(|l| cell_effort(&g.sched, &rel.id, &l.id))
                .collect(),
            critical_path: critical_path(r, &g.sched, &rel.id),
        })
        .collect();
    EngineeringView {
        roadmap: header(r),
        layers: r.layers.iter().map(layer_head).collect(),
        rows,
        blocked: g
            .blocked_work()
            .into_iter()
            .map(|(f, w)| g.card(f, w))
            .collect(),
        dependencies: g.edges(),
        interfaces: r
            .work_items()
            .filter_map(|(f, w)| g.interface(f, w))
            .collect(),
        conflicts: conflict_lines(r, &g.sched),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::{EntityKind, Health, Status};

    fn sample() -> Roadmap {
        let mut r = roadmap();
        r.releases = vec![
            release("v2", Some("2027-Q4")),
            release("v1", Some("2027-Q3")),
        ];
        let mut f1 = feature("f1", "v1");
        let mut hw = work("hw", "hardware", Some("2027-06"), Some("10w"));
        hw.interface = Some("SPI at 1 kHz".into());
        hw.health = Some(Health::Blocked);
        let mut fw = work("fw", "firmware", None, None);
        fw.depends_on = vec!["hw".into()];
        let mut fw2 = work("fw2", "firmware", None, None);
        fw2.depends_on = vec!["fw".into(), "ghost".into()];
        let mut done = work("done", "hardware", None, None);
        done.depends_on = vec!["hw".into()];
        done.status = Some(Status::Shipped);
        f1.work = vec![hw, fw, fw2, done];
        let mut f2 = feature("f2", "v2");
        f2.depends_on = vec!["f1".into()];
        let mut cloud = work("cl", "cloud", None, None);
        cloud.team = Some("Platform".into());
        cloud.depends_on = vec!["hw".into(), "f1".into()];
        f2.work = vec![cloud];
        r.features = vec![f1, f2];
        r
    }

    #[test]
    fn story_map_rows_in_time_order_with_a_cell_per_layer() {
        let v = engineering(&sample());
        let rows: Vec<_> = v.rows.iter().map(|r| r.release.id.as_str()).collect();
        assert_eq!(rows, ["v1", "v2"]);
        assert_eq!(v.layers.len(), 5);
        assert!(v.rows.iter().all(|r| r.cells.len() == 5));
        let v1 = &v.rows[0];
        let keys = |i: usize| -> Vec<&str> { v1.cells[i].iter().map(|c| c.key.as_str()).collect() };
        assert_eq!(keys(0), ["hw", "done"]);
        assert_eq!(keys(1), ["fw", "fw2"]);
        assert!(v1.cells[2].is_empty() && v1.cells[3].is_empty() && v1.cells[4].is_empty());
        let hw = &v1.cells[0][0];
        assert_eq!(hw.estimate.as_deref(), Some("10w"));
        assert_eq!(hw.end.map(|d| d.to_string()).as_deref(), Some("2027-06"));
        assert_eq!(hw.depended_on_by, ["fw", "done", "cl"]);
        assert_eq!(v.rows[1].cells[3][0].team.as_deref(), Some("Platform"));
    }

    #[test]
    fn dependencies_blocked_and_interfaces() {
        let v = engineering(&sample());
        let edges: Vec<_> = v
            .dependencies
            .iter()
            .map(|e| (e.from.id.as_str(), e.to.id.as_str(), e.cross_layer))
            .collect();
        assert_eq!(
            edges,
            [
                ("fw", "hw", true),
                ("fw2", "fw", false),
                ("done", "hw", false),
                ("f2", "f1", false),
                ("cl", "hw", true),
                ("cl", "f1", false),
            ]
        );
        assert_eq!(v.dependencies[3].from.entity, EntityKind::Feature);
        // hw is blocked; fw and fw2 and cl depend on it (transitively); done shipped.
        let blocked: Vec<_> = v.blocked.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(blocked, ["hw", "fw", "fw2", "cl"]);
        assert_eq!(v.interfaces.len(), 1);
        assert_eq!(v.interfaces[0].consumers, ["fw", "cl"]);
    }

    #[test]
    fn cells_carry_effort_and_rows_their_critical_path() {
        let mut r = sample();
        r.releases[1].start = Some(spec("2027-01"));
        let v = engineering(&r);
        let v1 = &v.rows[0];
        // hw 10w; done is shipped but counts; no estimates elsewhere.
        assert_eq!(v1.effort[0].days, 70.0);
        assert_eq!(v1.effort[0].unestimated, 1);
        assert_eq!(v1.effort[1].unestimated, 2);
        assert_eq!(v1.effort[2].days, 0.0);
        let cp = v1.critical_path.as_ref().expect("a path");
        let keys: Vec<_> = cp.steps.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["hw", "fw", "fw2"]);
        let hw = &v1.cells[0][0];
        assert!(hw.critical);
        assert!(!v1.cells[0][1].critical, "shipped work is never critical");
    }

    #[test]
    fn dependency_cycles_and_bad_references_do_not_hang_or_panic() {
        let mut r = sample();
        r.features[0].work[0].depends_on = vec!["fw2".into()];
        r.features[0].release = "missing".into();
        r.layers.truncate(1);
        let v = engineering(&r);
        assert_eq!(v.rows[0].cells.len(), 1);
        assert_eq!(v.blocked.len(), 4);
    }
}
