//! A layer lens: one team's vertical slice across every release.

use super::common::{
    Graph, Node, cell_effort, header, layer_head, release_head, releases_in_time_order,
};
use super::{DecisionCell, DecisionLine, InterfaceLine, LayerSlice, LayerView, WorkCard};
use crate::model::{Area, Roadmap};
use std::collections::{HashMap, HashSet};

/// The view of layer `layer_id`; `None` when the roadmap has no such layer.
pub fn layer(r: &Roadmap, layer_id: &str) -> Option<LayerView> {
    let l = r.layer(layer_id)?;
    let g = Graph::new(r);
    let mut by_release: HashMap<&str, Vec<WorkCard>> = HashMap::new();
    for (f, w) in r.work_items().filter(|(_, w)| w.layer == l.id) {
        by_release
            .entry(f.release.as_str())
            .or_default()
            .push(g.card(f, w));
    }
    let slices = releases_in_time_order(r)
        .into_iter()
        .map(|rel| LayerSlice {
            release: release_head(rel),
            work: by_release.remove(rel.id.as_str()).unwrap_or_default(),
            effort: cell_effort(&g.sched, &rel.id, &l.id),
        })
        .collect();
    let edges = g.edges();
    let mine = |x: &Option<String>| x.as_deref() == Some(layer_id);
    let depends_on: Vec<_> = edges
        .iter()
        .filter(|e| e.cross_layer && mine(&e.from_layer))
        .cloned()
        .collect();
    let depended_on_by = edges
        .iter()
        .filter(|e| e.cross_layer && mine(&e.to_layer))
        .cloned()
        .collect();
    let interfaces_out = r
        .work_items()
        .filter(|(_, w)| w.layer == l.id)
        .filter_map(|(f, w)| g.interface(f, w))
        .collect();
    // Contracts of other layers' work that this layer's work depends on, once
    // each, in the order this layer first needs them.
    let mut seen = HashSet::new();
    let mut interfaces_in: Vec<InterfaceLine> = Vec::new();
    for e in &depends_on {
        if let Some(Node::Work(f, w)) = g.get_by_ref(&e.to)
            && seen.insert(e.to.id.clone())
            && let Some(line) = g.interface(f, w)
        {
            interfaces_in.push(line);
        }
    }
    let decisions = Area::ALL
        .iter()
        .map(|&area| DecisionCell {
            area,
            decisions: r
                .decisions
                .iter()
                .filter(|d| d.layer == l.id && d.area == area)
                .map(|d| DecisionLine {
                    id: d.id.clone(),
                    title: d.title.clone(),
                    status: d.status(),
                    choice: d.choice.clone(),
                })
                .collect(),
        })
        .collect();
    Some(LayerView {
        roadmap: header(r),
        layer: layer_head(l),
        slices,
        depends_on,
        depended_on_by,
        interfaces_out,
        interfaces_in,
        decisions,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::DecisionStatus;

    fn sample() -> Roadmap {
        let mut r = roadmap();
        r.releases = vec![
            release("v1", Some("2027-Q3")),
            release("v2", Some("2027-Q4")),
            release("v0", Some("2027-Q1")),
        ];
        let mut f1 = feature("f1", "v1");
        let mut hw = work("hw", "hardware", None, None);
        hw.interface = Some("SPI".into());
        let mut fw = work("fw", "firmware", None, None);
        fw.depends_on = vec!["hw".into(), "cl".into()];
        fw.interface = Some("MQTT".into());
        let mut cl = work("cl", "cloud", None, None);
        cl.depends_on = vec!["fw".into()];
        cl.interface = Some("REST".into());
        f1.work = vec![hw, fw, cl];
        let mut f2 = feature("f2", "v2");
        let mut fw3 = work("fw3", "firmware", None, None);
        fw3.depends_on = vec!["hw".into()];
        f2.work = vec![fw3];
        r.features = vec![f1, f2];
        let mut d = decision("sig", "firmware", Area::Security);
        d.status = Some(DecisionStatus::Decided);
        d.choice = Some("Ed25519".into());
        r.decisions = vec![d, decision("other", "cloud", Area::Data)];
        r
    }

    #[test]
    fn slice_across_every_release_with_deps_interfaces_and_decisions() {
        let v = layer(&sample(), "firmware").unwrap();
        assert_eq!(v.layer.name, "Device software");
        let slices: Vec<_> = v
            .slices
            .iter()
            .map(|s| {
                (
                    s.release.id.as_str(),
                    s.work.iter().map(|w| w.key.as_str()).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            slices,
            [("v0", vec![]), ("v1", vec!["fw"]), ("v2", vec!["fw3"])]
        );
        let out: Vec<_> = v
            .depends_on
            .iter()
            .map(|e| (e.from.id.as_str(), e.to.id.as_str()))
            .collect();
        assert_eq!(out, [("fw", "hw"), ("fw", "cl"), ("fw3", "hw")]);
        let inn: Vec<_> = v
            .depended_on_by
            .iter()
            .map(|e| e.from.id.as_str())
            .collect();
        assert_eq!(inn, ["cl"]);
        assert_eq!(v.interfaces_out.len(), 1);
        assert_eq!(v.interfaces_out[0].contract, "MQTT");
        assert_eq!(v.interfaces_out[0].consumers, ["cl"]);
        let ins: Vec<_> = v
            .interfaces_in
            .iter()
            .map(|i| i.contract.as_str())
            .collect();
        assert_eq!(ins, ["SPI", "REST"]);
        let areas: Vec<_> = v.decisions.iter().map(|c| c.area).collect();
        assert_eq!(areas, Area::ALL);
        let sec = &v.decisions[4];
        assert_eq!(sec.decisions[0].choice.as_deref(), Some("Ed25519"));
        assert!(
            v.decisions
                .iter()
                .filter(|c| c.area != Area::Security)
                .all(|c| c.decisions.is_empty())
        );
    }

    #[test]
    fn unknown_layer_is_none() {
        assert!(layer(&sample(), "nope").is_none());
    }
}
