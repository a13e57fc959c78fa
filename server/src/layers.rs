//! The layers of `server/src`, kept by a test that reads the source: code only looks down.
//!
//! - `main.rs`/`lib.rs` are the only importers of `startup`, the composition root.
//! - The foundation (`config`, `error`, `i18n`, `input`, `files`, `state`, `telemetry`, `infra`, `http`) imports no
//!   domain.
//! - `policy` is pure: no database, no HTTP, no `ApiError`, no other module of the crate but
//!   `i18n`; every `rules.rs` and `plan.rs` does no I/O either.
//! - Services and repos take no actix types.
//! - `access` reads domain models (relationships) only; domains ask it for proofs.
//! - Domains form no cycle: a domain may use another's service API, never both ways.
//! - Only `org/model.rs` names a time zone (one `local_date` for every date a person sees).
//!
//! Debts still being paid off are listed by name below; the lists may only shrink.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules below every domain.
const FOUNDATION: &[&str] = &["config", "error", "i18n", "input", "files", "state", "telemetry", "infra", "http"];
/// Crate-root files that may import anything.
const ROOTS: &[&str] = &["main", "lib", "startup", "layers"];
/// What pure code (policy, rules, plans) must never name.
const IMPURE: &[&str] = &["sea_orm", "actix_web", "reqwest", "redis", "lettre", "tokio::fs", "std::fs"];

struct Source {
    path: PathBuf,
    /// Top-level module the file belongs to (`notices` for `notices/service.rs`).
    module: String,
    text: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(&root).expect("under src").to_path_buf();
                let first = relative.components().next().expect("component").as_os_str().to_string_lossy();
                let module = first.trim_end_matches(".rs").to_owned();
                let text = std::fs::read_to_string(&path).expect("read file");
                out.push(Source { path: relative, module, text: strip_tests_and_comments(&text) });
            }
        }
    }
    out
}

/// The code outside `#[cfg(test)]` modules, without comments (a doc link is no import).
fn strip_tests_and_comments(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every top-level module of the crate a file names through `crate::…`, including inside
/// `use crate::{a::…, b}` groups.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            for item in split_top_level(&group[..end]) {
                if let Some(name) = leading_ident(item) {
                    out.insert(name);
                }
            }
        } else if let Some(name) = leading_ident(rest) {
            out.insert(name);
        }
    }
    out
}

fn split_top_level(group: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&group[start..]);
    parts
}

fn leading_ident(text: &str) -> Option<String> {
    let name: String = text.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty() && name != "self").then_some(name)
}

fn is_foundation(module: &str) -> bool {
    FOUNDATION.contains(&module)
}

/// `access` sits between the foundation and the domains: it reads relationships (domain models)
/// and every domain asks it for proofs.
fn is_domain(module: &str) -> bool {
    !is_foundation(module) && !ROOTS.contains(&module) && module != "access"
}

#[test]
fn only_the_crate_root_imports_startup() {
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|s| !matches!(s.module.as_str(), "main" | "lib" | "startup" | "layers"))
        .filter(|s| crate_references(&s.text).contains("startup"))
        .map(|s| s.path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "only main.rs and lib.rs may import startup: {offenders:?}");
}

#[test]
fn the_foundation_imports_no_domain() {
    let mut offenders = Vec::new();
    for source in sources().into_iter().filter(|s| is_foundation(&s.module)) {
        for target in crate_references(&source.text) {
            if is_domain(&target) || target == "startup" {
                offenders.push(format!("{} → {target}", source.path.display()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "config, error, i18n, state, telemetry, infra and http import no domain: {offenders:?}"
    );
}

#[test]
fn access_reads_relationships_and_nothing_of_a_domain_s_logic() {
    let mut offenders = Vec::new();
    for source in sources().into_iter().filter(|s| s.module == "access") {
        let mut rest = source.text.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let path: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let mut parts = path.split("::");
            let (module, item) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
            let allowed = !is_domain(module) || matches!(item, "model" | "subject");
            if !allowed {
                offenders.push(format!("{} → {path}", source.path.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "access imports domain models (and the caller), never services: {offenders:?}");
}

#[test]
fn policy_rules_and_plans_do_no_io() {
    let mut offenders = Vec::new();
    for source in sources() {
        let file = source.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let pure = source.module == "policy" || file == "rules.rs" || file == "plan.rs";
        if !pure {
            continue;
        }
        for word in IMPURE {
            if source.text.contains(word) {
                offenders.push(format!("{} uses {word}", source.path.display()));
            }
        }
        for target in crate_references(&source.text) {
            // Policy knows nothing else; rules and plans may use domain types, never state or I/O.
            let ok = if source.module == "policy" {
                matches!(target.as_str(), "policy" | "i18n")
            } else {
                !matches!(target.as_str(), "state" | "infra" | "http" | "startup")
            };
            if !ok {
                offenders.push(format!("{} → {target}", source.path.display()));
            }
        }
    }
    assert_debts("pure code does no I/O and knows no state or HTTP", offenders, KNOWN_IMPURE);
}

#[test]
fn services_and_repos_take_no_actix_types() {
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|s| {
            let file = s.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            // A large domain splits its service into `service/<part>.rs`: those files are services too.
            let in_service_dir = s.path.parent().is_some_and(|dir| dir.ends_with("service") || dir.ends_with("repo"));
            (matches!(file.as_str(), "service.rs" | "repo.rs") || in_service_dir) && s.text.contains("actix_web")
        })
        .map(|s| s.path.display().to_string())
        .collect();
    assert_debts("services and repos are HTTP-free", offenders, KNOWN_ACTIX_IN_SERVICES);
}

#[test]
fn only_auth_knows_the_session_behind_a_caller() {
    // Everyone else takes `access::Caller` (or a proof made from it), so a job can act for an
    // account without forging a session. The one exception is the event stream: it lives exactly
    // as long as the session it was opened with, so it must know which one that is.
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|s| !matches!(s.module.as_str(), "auth" | "layers" | "realtime") && s.text.contains("AuthUser"))
        .map(|s| s.path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "name access::Caller, not auth::AuthUser: {offenders:?}");
}

#[test]
fn domains_form_no_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources().into_iter().filter(|s| is_domain(&s.module)) {
        let edges = graph.entry(source.module.clone()).or_default();
        for target in crate_references(&source.text) {
            if is_domain(&target) && target != source.module {
                edges.insert(target);
            }
        }
    }
    // An edge A → B is part of a cycle when B also reaches A.
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node.clone()) {
                stack.extend(graph.get(&node).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut in_cycles = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            if reaches(to, from) {
                in_cycles.push(format!("{from} → {to}"));
            }
        }
    }
    assert_debts("domains import each other", in_cycles, KNOWN_CYCLE_EDGES);
}

#[test]
fn only_org_model_names_a_time_zone() {
    // One local date: every date a person sees comes from `school.local_date(instant)` (or the
    // district's), so refusal counts, homework and digests land on the same day for one instant.
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|s| s.module != "layers" && s.path != Path::new("org/model.rs"))
        .filter(|s| s.text.contains(concat!("Shang", "hai")))
        .map(|s| s.path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "derive dates through org::model's zone(), never a zone literal: {offenders:?}");
}

/// Layering debts still being paid off (issue 8). The list may only shrink: a new offender fails,
/// and so does a listed one that is gone (strike it from the list).
const KNOWN_IMPURE: &[&str] = &[];
const KNOWN_ACTIX_IN_SERVICES: &[&str] = &[];
const KNOWN_CYCLE_EDGES: &[&str] = &[];

fn assert_debts(rule: &str, mut found: Vec<String>, known: &[&str]) {
    found.sort();
    found.dedup();
    let new: Vec<&String> = found.iter().filter(|f| !known.contains(&f.as_str())).collect();
    let paid: Vec<&&str> = known.iter().filter(|k| !found.iter().any(|f| f == *k)).collect();
    assert!(new.is_empty(), "{rule}: {new:?}");
    assert!(paid.is_empty(), "no longer true, strike from the known debts: {paid:?}");
}

#[test]
fn the_reader_of_imports_sees_groups_and_paths() {
    let text = "use crate::{error::ApiError, http::{lang, payload}};\nfn f() { crate::org::subject::same(); }";
    let found = crate_references(text);
    assert_eq!(found, ["error", "http", "org"].into_iter().map(String::from).collect());
}
