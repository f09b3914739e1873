//! The decision canvas of the whole product: every layer × the six decision
//! areas, each cell with its decided and open decisions, and the gaps (a
//! layer with no decision in an area).

use super::common::{header, layer_head};
use super::{CanvasGap, CanvasRow, CanvasView, DecisionCell, DecisionLine};
use crate::model::{Area, DecisionStatus, Roadmap};

/// The decision canvas of a roadmap.
pub fn decisions(r: &Roadmap) -> CanvasView {
    let mut gaps = Vec::new();
    let rows: Vec<CanvasRow> = r
        .layers
        .iter()
        .map(|l| CanvasRow {
            layer: layer_head(l),
            cells: Area::ALL
                .iter()
                .map(|&area| {
                    let decisions: Vec<DecisionLine> = r
                        .decisions
                        .iter()
                        .filter(|d| d.layer == l.id && d.area == area)
                        .map(|d| DecisionLine {
                            id: d.id.clone(),
                            title: d.title.clone(),
                            status: d.status(),
                            choice: d.choice.clone(),
                        })
                        .collect();
                    if decisions.is_empty() {
                        gaps.push(CanvasGap {
                            layer: l.id.clone(),
                            layer_name: l.name.clone(),
                            area,
                        });
                    }
                    DecisionCell { area, decisions }
                })
                .collect(),
        })
        .collect();
    let count = |s: DecisionStatus| {
        rows.iter()
            .flat_map(|row| &row.cells)
            .flat_map(|c| &c.decisions)
            .filter(|d| d.status == s)
            .count()
    };
    CanvasView {
        roadmap: header(r),
        areas: Area::ALL.to_vec(),
        decided: count(DecisionStatus::Decided),
        open: count(DecisionStatus::Open),
        rows,
        gaps,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn every_layer_by_every_area_with_its_gaps() {
        let mut r = roadmap();
        let mut d = decision("identity", "comms", Area::Security);
        d.status = Some(DecisionStatus::Decided);
        d.choice = Some("X.509".into());
        r.decisions = vec![d, decision("retention", "cloud", Area::Data)];
        let v = decisions(&r);
        assert_eq!(v.rows.len(), 5);
        assert!(v.rows.iter().all(|row| row.cells.len() == 6));
        assert_eq!((v.decided, v.open), (1, 1));
        assert_eq!(v.rows[2].cells[4].decisions[0].id, "identity");
        // 30 cells, 2 of them decided or open: 28 gaps, in layer then area order.
        assert_eq!(v.gaps.len(), 28);
        assert_eq!(
            (v.gaps[0].layer.as_str(), v.gaps[0].area),
            ("hardware", Area::Business)
        );
        assert!(
            !v.gaps
                .iter()
                .any(|g| g.layer == "comms" && g.area == Area::Security)
        );
    }
}
