//! Cross-entity validation: duplicate ids, unknown references, dependency
//! cycles, and the warnings of the format (a feature without work, a release
//! without features, a public feature without `customer_value`, work that
//! ends after its release's target).

use super::diag::Diagnostic;
use super::types::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// `complete` is false when some entity could not be read (its errors are
/// reported already); warnings that count references are then skipped.
pub fn validate(r: &Roadmap, complete: bool, diags: &mut Vec<Diagnostic>) {
    duplicate_ids(r, diags);
    references(r, diags);
    cycles(r, diags);
    warnings(r, complete, diags);
}

fn span_of(spans: &Spans, key: &str) -> Option<Span> {
    spans.of(key)
}

/// Every id-bearing entity, in file order: (kind, id, spans).
fn entities(r: &Roadmap) -> Vec<(&'static str, &str, &Spans)> {
    let mut out: Vec<(&'static str, &str, &Spans)> = Vec::new();
    // Declared layers only: an implicit default layer has no span.
    let declared = r.layers.iter().filter(|l| l.spans.get("").is_some());
    out.extend(declared.map(|l| ("layer", l.id.as_str(), &l.spans)));
    out.extend(r.themes.iter().map(|t| ("theme", t.id.as_str(), &t.spans)));
    out.extend(
        r.metrics
            .iter()
            .map(|m| ("metric", m.id.as_str(), &m.spans)),
    );
    out.extend(
        r.releases
            .iter()
            .map(|x| ("release", x.id.as_str(), &x.spans)),
    );
    for f in &r.features {
        out.push(("feature", f.id.as_str(), &f.spans));
        out.extend(
            f.work
                .iter()
                .filter_map(|w| w.id.as_deref().map(|id| ("work item", id, &w.spans))),
        );
    }
    out.extend(
        r.decisions
            .iter()
            .map(|d| ("decision", d.id.as_str(), &d.spans)),
    );
    out.sort_by_key(|(_, _, s)| s.get("id").map(|s| s.start).unwrap_or(0));
    out
}

fn duplicate_ids(r: &Roadmap, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, (&'static str, Option<Span>)> = HashMap::new();
    for (kind, id, spans) in entities(r) {
        let span = span_of(spans, "id");
        match seen.get(id) {
            Some((first_kind, first_span)) => {
                let mut d = Diagnostic::error(
                    span,
                    format!("duplicate id `{id}`: already used by a {first_kind}"),
                )
                .with_label(format!("this {kind} reuses `{id}`"));
                if first_span.is_some() {
                    d = d.with_note("ids must be unique across all entities of a roadmap");
                }
                diags.push(d);
            }
            None => {
                seen.insert(id, (kind, span));
            }
        }
    }
}

fn known_list(ids: &[&str]) -> String {
    if ids.is_empty() {
        return "none are defined".into();
    }
    let shown: Vec<&str> = ids.iter().take(12).copied().collect();
    let more = if ids.len() > 12 {
        format!(", … ({} in all)", ids.len())
    } else {
        String::new()
    };
    format!("known: {}{more}", shown.join(", "))
}

fn references(r: &Roadmap, diags: &mut Vec<Diagnostic>) {
    let releases: Vec<&str> = r.releases.iter().map(|x| x.id.as_str()).collect();
    let layers: Vec<&str> = r.layers.iter().map(|x| x.id.as_str()).collect();
    let themes: Vec<&str> = r.themes.iter().map(|x| x.id.as_str()).collect();
    let metrics: Vec<&str> = r.metrics.iter().map(|x| x.id.as_str()).collect();
    let mut deps: Vec<&str> = r.features.iter().map(|f| f.id.as_str()).collect();
    deps.extend(r.work_items().filter_map(|(_, w)| w.id.as_deref()));

    let sets: HashMap<&str, HashSet<&str>> = [
        ("release", releases.iter().copied().collect()),
        ("layer", layers.iter().copied().collect()),
        ("theme", themes.iter().copied().collect()),
        ("metric", metrics.iter().copied().collect()),
        ("feature or work item", deps.iter().copied().collect()),
    ]
    .into_iter()
    .collect();
    let mut check = |spans: &Spans, key: &str, value: &str, known: &[&str], what: &str| {
        // An empty value is a missing required field, reported already.
        if !value.is_empty() && !sets.get(what).is_some_and(|s| s.contains(value)) {
            diags.push(
                Diagnostic::error(
                    span_of(spans, key),
                    format!("unknown {what} `{value}` in `{key}`"),
                )
                .with_label(format!("no {what} has this id"))
                .with_note(known_list(known)),
            );
        }
    };
    for t in &r.themes {
        if let Some(m) = &t.metric {
            check(&t.spans, "metric", m, &metrics, "metric");
        }
    }
    for f in &r.features {
        check(&f.spans, "release", &f.release, &releases, "release");
        for (i, t) in f.themes.iter().enumerate() {
            check(&f.spans, &format!("themes[{i}]"), t, &themes, "theme");
        }
        for (i, d) in f.depends_on.iter().enumerate() {
            check(
                &f.spans,
                &format!("depends_on[{i}]"),
                d,
                &deps,
                "feature or work item",
            );
        }
        for w in &f.work {
            check(&w.spans, "layer", &w.layer, &layers, "layer");
            for (i, d) in w.depends_on.iter().enumerate() {
                check(
                    &w.spans,
                    &format!("depends_on[{i}]"),
                    d,
                    &deps,
                    "feature or work item",
                );
            }
        }
    }
    for d in &r.decisions {
        check(&d.spans, "layer", &d.layer, &layers, "layer");
    }
}

/// Dependency cycles among features and work items (by id). Each cycle is
/// reported once, at the `depends_on` entry that closes it.
fn cycles(r: &Roadmap, diags: &mut Vec<Diagnostic>) {
    // node id -> (depends_on, spans)
    let mut graph: BTreeMap<&str, (&[String], &Spans)> = BTreeMap::new();
    for f in &r.features {
        graph.insert(&f.id, (&f.depends_on, &f.spans));
        for w in &f.work {
            if let Some(id) = &w.id {
                graph.insert(id, (&w.depends_on, &w.spans));
            }
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut mark: HashMap<&str, Mark> = graph.keys().map(|k| (*k, Mark::New)).collect();
    let order: Vec<&str> = {
        // file order, so the first cycle reported is the first one written
        let mut v: Vec<(&str, usize)> = graph
            .iter()
            .map(|(k, (_, s))| (*k, s.get("id").map(|s| s.start).unwrap_or(0)))
            .collect();
        v.sort_by_key(|x| x.1);
        v.into_iter().map(|x| x.0).collect()
    };
    for start in order {
        if mark[start] != Mark::New {
            continue;
        }
        // iterative DFS: stack of (node, next edge index); path = active nodes
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        mark.insert(start, Mark::Active);
        while let Some(&mut (node, ref mut i)) = stack.last_mut() {
            let (edges, spans) = graph[node];
            if *i < edges.len() {
                let edge = *i;
                *i += 1;
                let next = edges[edge].as_str();
                match mark.get(next).copied() {
                    Some(Mark::New) => {
                        mark.insert(next, Mark::Active);
                        stack.push((next, 0));
                    }
                    Some(Mark::Active) => {
                        let from = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        let mut cycle: Vec<&str> = stack[from..].iter().map(|(n, _)| *n).collect();
                        cycle.push(next);
                        diags.push(
                            Diagnostic::error(
                                span_of(spans, &format!("depends_on[{edge}]")),
                                format!("dependency cycle: {}", cycle.join(" → ")),
                            )
                            .with_label("this dependency closes the cycle"),
                        );
                    }
                    _ => {}
                }
            } else {
                mark.insert(node, Mark::Done);
                stack.pop();
            }
        }
    }
}

fn warnings(r: &Roadmap, complete: bool, diags: &mut Vec<Diagnostic>) {
    for f in &r.features {
        if f.work.is_empty() {
            diags.push(
                Diagnostic::warning(
                    span_of(&f.spans, "id"),
                    format!("feature `{}` has no work items", f.id),
                )
                .with_note("add `[[feature.work]]` tables to show which layers deliver it"),
            );
        }
        if f.is_public()
            && f.customer_value
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            diags.push(
                Diagnostic::warning(span_of(&f.spans, "id"), format!("public feature `{}` has no `customer_value`", f.id))
                    .with_note("the sales lens shows `customer_value`; add it, or set `visibility = \"internal\"`"),
            );
        }
        let Some(target) = r.release(&f.release).and_then(|rel| rel.target) else {
            continue;
        };
        let Some(target_end) = target.interval(r.today).end else {
            continue;
        };
        for w in &f.work {
            let Some(end) = w.end else { continue };
            let Some(work_end) = end.interval(r.today).end else {
                continue;
            };
            if work_end > target_end {
                diags.push(
                    Diagnostic::warning(
                        span_of(&w.spans, "end"),
                        format!("work item ends after its release's target: {end} is later than {} ({target})", f.release),
                    )
                    .with_label("ends too late"),
                );
            }
        }
    }
    for rel in r.releases.iter().filter(|_| complete) {
        if !r.features.iter().any(|f| f.release == rel.id) {
            diags.push(
                Diagnostic::warning(
                    span_of(&rel.spans, "id"),
                    format!("release `{}` has no features", rel.id),
                )
                .with_note("features name their release with `release = \"<id>\"`"),
            );
        }
    }
}
