//! What search may find in a lens: every item the view shows, with the text
//! the view shows for it (built from the view, never from the roadmap, so
//! the sales lens can only ever find sales text).

use super::{
    CanvasView, DepEdge, EngineeringView, ExecView, InterfaceLine, ItemRef, LayerHead, LayerView,
    LensView, ReleaseHead, SalesView, SearchItem, WorkCard,
};
use crate::model::EntityKind;
use std::collections::HashMap;

/// Every searchable item of a view, in the order the view shows them; an
/// item shown in several places appears once, with all its text.
pub fn search_items(view: &LensView) -> Vec<SearchItem> {
    let mut c = Collector::default();
    match view {
        LensView::Exec(v) => exec(&mut c, v),
        LensView::Sales(v) => sales(&mut c, v),
        LensView::Engineering(v) => engineering(&mut c, v),
        LensView::Layer(v) => layer(&mut c, v),
        LensView::Decisions(v) => canvas(&mut c, v),
    }
    c.items
}

fn canvas(c: &mut Collector, v: &CanvasView) {
    for row in &v.rows {
        c.layer_head(&row.layer);
        for cell in &row.cells {
            for d in &cell.decisions {
                c.add(
                    EntityKind::Decision,
                    &d.id,
                    &d.title,
                    [
                        Some(cell.area.title().to_string()),
                        Some(row.layer.name.clone()),
                        Some(d.status.to_string()),
                        d.choice.clone(),
                    ],
                );
            }
        }
    }
}

/// No extra text.
const NONE: [Option<String>; 0] = [];

#[derive(Default)]
struct Collector {
    items: Vec<SearchItem>,
    index: HashMap<ItemRef, usize>,
    /// The lens does not show ids (sales): they are not searched or shown.
    no_ids: bool,
}

impl Collector {
    fn add<I, S>(&mut self, entity: EntityKind, id: &str, title: &str, text: I)
    where
        I: IntoIterator<Item = Option<S>>,
        S: Into<String>,
    {
        let target = ItemRef {
            entity,
            id: id.to_string(),
        };
        let i = match self.index.get(&target) {
            Some(&i) => i,
            None => {
                self.items.push(SearchItem {
                    target: target.clone(),
                    title: title.to_string(),
                    text: vec![],
                });
                self.index.insert(target, self.items.len() - 1);
                self.items.len() - 1
            }
        };
        let item = &mut self.items[i];
        let mut push = |s: String| {
            if !s.is_empty() && s != item.title && !item.text.contains(&s) {
                item.text.push(s);
            }
        };
        if !self.no_ids {
            push(id.to_string());
        }
        for s in text.into_iter().flatten() {
            push(s.into());
        }
    }

    fn card(&mut self, c: &WorkCard) {
        let mut text: Vec<Option<String>> = vec![
            Some(c.feature_title.clone()),
            Some(c.layer.clone()),
            Some(c.status.to_string()),
            c.health.map(|h| h.to_string()),
            c.team.clone(),
            c.estimate.clone(),
            c.start.map(|d| d.to_string()),
            c.end.map(|d| d.to_string()),
            c.interface.clone(),
        ];
        text.extend(c.depends_on.iter().cloned().map(Some));
        self.add(EntityKind::Work, &c.key, &c.title, text);
        self.add(EntityKind::Feature, &c.feature, &c.feature_title, NONE);
    }

    fn layer_head(&mut self, l: &LayerHead) {
        let text = [l.team.clone(), l.cadence.clone()];
        self.add(EntityKind::Layer, &l.id, &l.name, text);
    }

    fn release_head(&mut self, r: &ReleaseHead) {
        let text = [
            r.target.map(|d| d.to_string()),
            Some(r.status.to_string()),
            r.health.map(|h| h.to_string()),
        ];
        self.add(EntityKind::Release, &r.id, &r.name, text);
    }

    /// Both ends of a dependency; with `layers`, the layer of each end too.
    fn edge(&mut self, e: &DepEdge, layers: bool) {
        let layer = |l: &Option<String>| l.clone().filter(|_| layers);
        self.add(
            e.from.entity,
            &e.from.id,
            &e.from_title,
            [layer(&e.from_layer)],
        );
        self.add(e.to.entity, &e.to.id, &e.to_title, [layer(&e.to_layer)]);
    }

    /// The work item exposing a contract; with `layer`, its layer too.
    fn interface(&mut self, i: &InterfaceLine, layer: bool) {
        let text = [Some(i.contract.clone()), layer.then(|| i.layer.clone())];
        self.add(EntityKind::Work, &i.work, &i.title, text);
    }
}

fn exec(c: &mut Collector, v: &ExecView) {
    for b in &v.timeline {
        for r in &b.releases {
            let mut text = vec![
                Some(b.label.clone()),
                r.start.map(|d| d.to_string()),
                r.target.map(|d| d.to_string()),
                Some(r.status.to_string()),
                r.health.map(|h| h.to_string()),
                r.confidence.map(|x| x.to_string()),
                r.summary.clone(),
                r.critical_path.as_ref().and_then(|c| c.layer.clone()),
            ];
            text.extend(r.themes.iter().cloned().map(Some));
            c.add(EntityKind::Release, &r.id, &r.name, text);
            for f in &r.features {
                c.add(
                    EntityKind::Feature,
                    &f.id,
                    &f.title,
                    [
                        Some(f.status.to_string()),
                        f.health.map(|h| h.to_string()),
                        Some(f.visibility.to_string()),
                        f.business_value.clone(),
                    ],
                );
            }
        }
    }
    for t in &v.themes {
        c.add(
            EntityKind::Theme,
            &t.id,
            &t.title,
            [t.outcome.clone(), t.metric.as_ref().map(|m| m.name.clone())],
        );
        for f in &t.features {
            c.add(EntityKind::Feature, &f.id, &f.title, NONE);
        }
    }
    for m in &v.metrics {
        c.add(EntityKind::Metric, &m.id, &m.name, [m.unit.clone()]);
    }
    for r in &v.risks {
        c.add(
            r.entity,
            &r.id,
            &r.title,
            [Some(r.health.to_string()), r.release.clone()],
        );
    }
}

fn sales(c: &mut Collector, v: &SalesView) {
    // Sales names features by their title, never by id.
    c.no_ids = true;
    for g in &v.groups {
        for f in &g.features {
            c.add(
                EntityKind::Feature,
                &f.id,
                &f.title,
                [
                    Some(g.commitment.to_string()),
                    f.customer_value.clone(),
                    f.when.map(|w| w.to_string()),
                ],
            );
        }
    }
}

fn engineering(c: &mut Collector, v: &EngineeringView) {
    for l in &v.layers {
        c.layer_head(l);
    }
    for row in &v.rows {
        c.release_head(&row.release);
        for card in row.cells.iter().flatten() {
            c.card(card);
        }
    }
    for card in &v.blocked {
        c.card(card);
    }
    for e in &v.dependencies {
        c.edge(e, false);
    }
    for i in &v.interfaces {
        c.interface(i, false);
    }
}

fn layer(c: &mut Collector, v: &LayerView) {
    c.layer_head(&v.layer);
    for s in &v.slices {
        c.release_head(&s.release);
        for card in &s.work {
            c.card(card);
        }
    }
    for e in v.depends_on.iter().chain(&v.depended_on_by) {
        c.edge(e, true);
    }
    for i in v.interfaces_out.iter().chain(&v.interfaces_in) {
        c.interface(i, true);
    }
    for cell in &v.decisions {
        for d in &cell.decisions {
            c.add(
                EntityKind::Decision,
                &d.id,
                &d.title,
                [
                    Some(cell.area.title().to_string()),
                    Some(d.status.to_string()),
                    d.choice.clone(),
                ],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Lens, project};
    use super::*;
    use crate::model::Visibility;

    fn sample() -> crate::model::Roadmap {
        let mut r = roadmap();
        r.releases = vec![release("v1", Some("2027-Q3"))];
        let mut pubf = feature("pub", "v1");
        pubf.customer_value = Some("customer words".into());
        pubf.business_value = Some("business words".into());
        pubf.work = vec![work("w1", "hardware", None, Some("3w"))];
        pubf.work[0].interface = Some("contract words".into());
        let mut int = feature("int", "v1");
        int.visibility = Some(Visibility::Internal);
        r.features = vec![pubf, int];
        r
    }

    fn all_text(items: &[SearchItem]) -> String {
        items
            .iter()
            .flat_map(|i| std::iter::once(i.title.clone()).chain(i.text.clone()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn sales_search_finds_only_sales_text() {
        let r = sample();
        let v = project(&r, &Lens::Sales).unwrap();
        let items = search_items(&v);
        assert_eq!(items.len(), 1);
        let t = all_text(&items);
        assert!(t.contains("customer words"));
        for leak in [
            "business",
            "contract",
            "w1",
            "Feature int",
            "3w",
            "Release v1",
        ] {
            assert!(!t.contains(leak), "{leak} in {t}");
        }
    }

    #[test]
    fn engineering_search_finds_work_and_interfaces_once() {
        let r = sample();
        let v = project(&r, &Lens::Engineering).unwrap();
        let items = search_items(&v);
        let w: Vec<_> = items
            .iter()
            .filter(|i| i.target.entity == EntityKind::Work)
            .collect();
        assert_eq!(w.len(), 1);
        assert!(w[0].text.contains(&"contract words".to_string()));
        assert!(w[0].text.contains(&"3w".to_string()));
    }

    #[test]
    fn exec_search_has_business_values_and_layer_search_has_decisions() {
        let mut r = sample();
        r.decisions = vec![decision("d1", "hardware", crate::model::Area::Ux)];
        let t = all_text(&search_items(&project(&r, &Lens::Exec).unwrap()));
        assert!(t.contains("business words"));
        let items = search_items(&project(&r, &Lens::Layer("hardware".into())).unwrap());
        assert!(
            items
                .iter()
                .any(|i| i.target.entity == EntityKind::Decision)
        );
    }
}
