//! `roadlens deps [ID] [--lens L] [--format text|json] [-- PATHS]`: the
//! dependency chains of one feature or work item (upstream and downstream,
//! as trees across layers), or without an ID the whole graph laid out by
//! release and layer. Cross-layer edges are marked.
//!
//! `--lens`: `engineering` (default) every feature and work item; `exec`
//! features only (a feature depends on the features its work depends on);
//! `layer:<id>` the graph at that layer's boundary. The sales lens and the
//! decision canvas show no dependencies (exit 2).
//!
//! Exit codes: 0 printed; 1 a roadmap has errors, or no roadmap has the ID;
//! 2 usage (unknown lens, a path that does not exist).

use super::EXIT_OK;
use super::error::{CommandError, CommandResult};
use super::lensprint::{WIDTH, to_json};
use super::output::{self, stdout_color};
use crate::lens::Lens;
use crate::model::{LoadedFile, Roadmap};
use crate::plan::{self, Chains, DepGraph};
use crate::text::sanitize_line;
use crate::vocab::{self, Role};
use clap::Args;
use clap::ValueEnum;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct DepsArgs {
    /// A feature's id or a work item's key; without it, the whole graph.
    pub id: Option<String>,
    /// engineering (default) | exec | layer:<id>
    #[arg(long, short, default_value = "engineering")]
    pub lens: String,
    /// text or json (markdown is not offered: a tree reads as text).
    #[arg(long, short, value_enum, default_value_t = DepsFormat::Text)]
    pub format: DepsFormat,
    /// Roadmap files or directories (default: the current directory).
    #[arg(last = true)]
    pub paths: Vec<PathBuf>,
}

/// What `deps` prints: the formats of [`super::Format`] it has a printer for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum DepsFormat {
    #[default]
    Text,
    Json,
}

/// What the lens shows of the graph.
struct Scope {
    features_only: bool,
    layer: Option<String>,
}

fn scope(lens: &str) -> Result<Scope, CommandError> {
    match Lens::parse(lens) {
        Some(Lens::Engineering) => Ok(Scope {
            features_only: false,
            layer: None,
        }),
        Some(Lens::Exec) => Ok(Scope {
            features_only: true,
            layer: None,
        }),
        Some(Lens::Layer(id)) => Ok(Scope {
            features_only: false,
            layer: Some(id),
        }),
        Some(Lens::Sales) => Err(CommandError::usage(
            "the sales lens shows no dependencies (it has no work items)",
        )),
        Some(Lens::Decisions) => Err(CommandError::usage(
            "the decision canvas shows no dependencies",
        )),
        None => Err(CommandError::usage(format!(
            "unknown lens `{}`; dependencies are shown through: engineering, exec, layer:<id>",
            sanitize_line(lens)
        ))),
    }
}

pub fn run(args: DepsArgs) -> CommandResult {
    let scope = scope(&args.lens)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let today = crate::model::today();
    let mut files: Vec<LoadedFile> = Vec::new();
    for p in &paths {
        files.extend(super::show::load_disk(p, today)?);
    }
    super::show::refuse_broken(&files, None, "nothing shown")?;
    let roadmaps: Vec<&Roadmap> = files.iter().filter_map(|f| f.roadmap.as_ref()).collect();
    if let Some(l) = &scope.layer
        && !roadmaps.iter().any(|r| r.layer(l).is_some())
    {
        return Err(CommandError::usage(format!(
            "no roadmap has a layer `{}`",
            sanitize_line(l)
        )));
    }
    let color = args.format == DepsFormat::Text && stdout_color();
    let several = roadmaps.len() > 1;
    let mut out = String::new();
    let mut json: Vec<Entry<'_>> = Vec::new();
    for r in &roadmaps {
        if scope.layer.as_deref().is_some_and(|l| r.layer(l).is_none()) {
            continue;
        }
        let s = plan::schedule(r);
        let what = match &args.id {
            Some(id) => match plan::chains(r, &s, id, scope.features_only) {
                Some(c) => Shown::Chains(c),
                None => continue,
            },
            None => Shown::Graph(plan::graph(
                r,
                &s,
                scope.features_only,
                scope.layer.as_deref(),
            )),
        };
        match args.format {
            DepsFormat::Json => json.push(Entry {
                path: &r.path,
                deps: what,
            }),
            DepsFormat::Text => {
                if several {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    let rule = vocab::paint(Role::Dim, &"━".repeat(WIDTH), color);
                    let p = vocab::paint(Role::Title, &sanitize_line(&r.path), color);
                    out.push_str(&format!("{rule}\n{p}\n\n"));
                }
                match &what {
                    Shown::Chains(c) => text_chains(&mut out, c, color),
                    Shown::Graph(g) => text_graph(&mut out, r, g, &args.lens, color),
                }
            }
        }
    }
    if let Some(id) = &args.id
        && out.is_empty()
        && json.is_empty()
    {
        let what = if scope.features_only {
            "feature"
        } else {
            "feature or work item"
        };
        let hint = if scope.features_only {
            " (this lens shows features only: `--lens engineering` shows work items)"
        } else {
            ""
        };
        return Err(CommandError::failed(format!(
            "no {what} `{}` in {}{hint}",
            sanitize_line(id),
            if several {
                "these roadmaps"
            } else {
                "this roadmap"
            }
        )));
    }
    if args.format == DepsFormat::Json {
        let mut s = match json.as_slice() {
            [one] => to_json(&one.deps),
            _ => to_json(&json),
        };
        s.push('\n');
        out = s;
    }
    output::print(&out)?;
    Ok(EXIT_OK)
}

/// What is printed for one roadmap.
#[derive(Serialize)]
#[serde(untagged)]
enum Shown {
    Chains(Chains),
    Graph(DepGraph),
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    deps: Shown,
}

fn line(out: &mut String, indent: usize, parts: &[(String, Role)], color: bool) {
    let avail = WIDTH.saturating_sub(indent).max(20);
    for (i, runs) in vocab::wrap_styled(parts, avail, avail.saturating_sub(4).max(20))
        .iter()
        .enumerate()
    {
        let pad = if i == 0 { indent } else { indent + 4 };
        out.push_str(&" ".repeat(pad));
        for (t, r) in runs {
            out.push_str(&vocab::paint(*r, t, color));
        }
        out.push('\n');
    }
}

/// One tree line as it is (a tree's lines are not wrapped: they would lose
/// their branches).
fn tree_line(out: &mut String, indent: usize, parts: &[(String, Role)], color: bool) {
    out.push_str(&" ".repeat(indent));
    for (t, r) in parts {
        out.push_str(&vocab::paint(*r, t, color));
    }
    out.push('\n');
}

fn text_chains(out: &mut String, c: &Chains, color: bool) {
    line(
        out,
        0,
        &vocab::glue_facts(vocab::dep_node(&c.item, true)),
        color,
    );
    if let Some(d) = c.item.slack_days {
        let t = if d < 0 {
            format!("{} late for its release's target", vocab::duration(d))
        } else {
            format!("slack {}", vocab::duration(d))
        };
        line(out, 2, &[(t, Role::Dim)], color);
    }
    for (title, trees, none) in [
        (
            "Upstream: what it depends on",
            &c.upstream,
            "  (depends on nothing)",
        ),
        (
            "Downstream: what depends on it",
            &c.downstream,
            "  (nothing depends on it)",
        ),
    ] {
        out.push('\n');
        tree_line(out, 0, &[(title.to_string(), Role::Title)], color);
        if trees.is_empty() {
            tree_line(out, 0, &[(none.to_string(), Role::Dim)], color);
        }
        for l in vocab::dep_tree(trees, WIDTH - 2) {
            tree_line(out, 2, &l, color);
        }
    }
}

fn text_graph(out: &mut String, r: &Roadmap, g: &DepGraph, lens: &str, color: bool) {
    let title = format!(
        "{} — dependencies ({})",
        sanitize_line(&r.meta.title),
        sanitize_line(lens)
    );
    tree_line(out, 0, &[(title.clone(), Role::Title)], color);
    tree_line(
        out,
        0,
        &[("═".repeat(vocab::width(&title).min(WIDTH)), Role::Dim)],
        color,
    );
    if g.releases.is_empty() {
        line(out, 0, &[("No dependencies.".into(), Role::Dim)], color);
        return;
    }
    line(
        out,
        0,
        &[(
            "A → B: A depends on B. Items without dependencies are left out.".into(),
            Role::Dim,
        )],
        color,
    );
    for rel in &g.releases {
        out.push('\n');
        let mut head = vec![
            (
                format!("{}{}{}", sanitize_line(&rel.id), vocab::GLUE, vocab::GLUE),
                Role::Dim,
            ),
            (sanitize_line(&rel.name).into_owned(), Role::Title),
        ];
        if let Some(t) = rel.target {
            head.push((format!(" · → {t}"), Role::Plain));
        }
        line(out, 0, &head, color);
        for grp in &rel.groups {
            line(
                out,
                2,
                &[(sanitize_line(&grp.name).into_owned(), Role::Title)],
                color,
            );
            for item in &grp.items {
                line(
                    out,
                    4,
                    &vocab::glue_facts(vocab::dep_node(&item.node, false)),
                    color,
                );
                for e in &item.depends_on {
                    line(out, 8, &vocab::dep_edge(e), color);
                }
            }
        }
    }
}
