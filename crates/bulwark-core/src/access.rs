//! Access rules and policies of the Edge API, and the decisions made from them.
//!
//! Documents are stored through the shared resource shape; "Query access objects" and
//! "Query policies" (by app and user) are answered by the `bulwark-access` evaluator
//! over a snapshot of the account's users, groups, apps, accesses and policies.

use std::collections::BTreeMap;
use std::sync::Arc;

use bulwark_access as ev;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::auth::Principal;
use crate::identity::{APPS, GROUPS, USERS};
use crate::model::ObjectFilter;
use crate::ports::Store;
use crate::resources::ResourceKind;
use crate::{DomainError, Result, Role, Status, clock};

fn int_enum<T: TryFrom<i32>>(doc: &Map<String, Value>, field: &str) -> Result<()> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => v
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .and_then(|n| T::try_from(n).ok())
            .map(|_| ())
            .ok_or_else(|| DomainError::invalid(format!("invalid `{field}` {v}"))),
    }
}

fn strings(doc: &Map<String, Value>, field: &str) -> Result<Vec<String>> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    DomainError::invalid(format!("`{field}` must be an array of strings"))
                })
            })
            .collect(),
        Some(_) => Err(DomainError::invalid(format!(
            "`{field}` must be an array of strings"
        ))),
    }
}

fn filter(doc: &Map<String, Value>, field: &str) -> Result<ev::Filter> {
    let clauses = |v: Option<&Value>, part: &str| -> Result<Vec<ev::Clause>> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|c| {
                    let all = match c.get("all") {
                        None | Some(Value::Null) => Vec::new(),
                        Some(Value::Array(tags)) => tags
                            .iter()
                            .map(|t| t.as_str().map(str::to_string))
                            .collect::<Option<Vec<_>>>()
                            .ok_or_else(|| {
                                DomainError::invalid(format!(
                                    "`{field}.{part}[].all` must hold strings"
                                ))
                            })?,
                        Some(_) => {
                            return Err(DomainError::invalid(format!(
                                "`{field}.{part}[].all` must be an array"
                            )));
                        }
                    };
                    Ok(ev::Clause { all })
                })
                .collect(),
            Some(_) => Err(DomainError::invalid(format!(
                "`{field}.{part}` must be an array of {{all: [...]}}"
            ))),
        }
    };
    match doc.get(field) {
        None | Some(Value::Null) => Ok(ev::Filter::everything()),
        Some(Value::Object(f)) => Ok(ev::Filter {
            include_any: clauses(f.get("include_any"), "include_any")?,
            exclude_any: clauses(f.get("exclude_any"), "exclude_any")?,
        }),
        Some(_) => Err(DomainError::invalid(format!("`{field}` must be an object"))),
    }
}

fn validate_access(doc: &Map<String, Value>) -> Result<()> {
    int_enum::<ev::AccessType>(doc, "access_type")?;
    for f in ["user_list", "app_list", "revoked_user_list"] {
        strings(doc, f)?;
    }
    Ok(())
}

fn validate_policy(doc: &Map<String, Value>) -> Result<()> {
    int_enum::<ev::PolicyAction>(doc, "action")?;
    int_enum::<ev::PolicyType>(doc, "type")?;
    if doc.get("priority").is_some_and(|p| !p.is_i64()) {
        return Err(DomainError::invalid("`priority` must be an integer"));
    }
    filter(doc, "session_filter")?;
    filter(doc, "app_filter")?;
    Ok(())
}

/// Access rules (E001-E004).
pub static ACCESSES: ResourceKind = ResourceKind {
    kind: "access",
    what: "access",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_access,
    secret_fields: &[],
};

/// Policies (E066-E069).
pub static POLICIES: ResourceKind = ResourceKind {
    kind: "policy",
    what: "policy",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_policy,
    secret_fields: &[],
};

fn status_of(doc: &Map<String, Value>) -> ev::Status {
    let code = doc
        .get("status")
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(0);
    ev::Status::try_from(code).unwrap_or(ev::Status::Unspecified)
}

fn text(doc: &Map<String, Value>, f: &str) -> String {
    doc.get(f).and_then(Value::as_str).unwrap_or("").to_string()
}

fn millis(doc: &Map<String, Value>, f: &str) -> Option<i64> {
    doc.get(f).and_then(Value::as_i64).filter(|t| *t > 0)
}

/// The documents of one kind (all statuses but DELETED) keyed by uuid.
type Docs = BTreeMap<String, Map<String, Value>>;

/// Answers access and policy queries for an account.
pub struct AccessService {
    store: Arc<dyn Store>,
}

/// "Query access objects": the granting accesses and the objects they name.
#[derive(Debug, Default)]
pub struct AccessAnswer {
    pub accesses: Vec<Map<String, Value>>,
    pub apps: Vec<Map<String, Value>>,
    pub groups: Vec<Map<String, Value>>,
    pub users: Vec<Map<String, Value>>,
}

impl AccessService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    async fn docs(&self, account: Uuid, kind: &ResourceKind) -> Result<Docs> {
        let filter = ObjectFilter {
            limit: 100_000,
            ..ObjectFilter::default()
        };
        let objs = self
            .store
            .query_objects(account, kind.kind, &filter)
            .await?;
        Ok(objs
            .into_iter()
            .map(|o| (o.uuid.to_string(), o.doc))
            .collect())
    }

    async fn snapshot(&self, account: Uuid) -> Result<(ev::Snapshot, [Docs; 5])> {
        let users = self.docs(account, &USERS).await?;
        let groups = self.docs(account, &GROUPS).await?;
        let apps = self.docs(account, &APPS).await?;
        let accesses = self.docs(account, &ACCESSES).await?;
        let policies = self.docs(account, &POLICIES).await?;
        let role_name = |d: &Map<String, Value>| {
            d.get("role")
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
                .and_then(Role::from_code)
                .map(|r| r.name().to_string())
        };
        let snap = ev::Snapshot {
            users: users
                .iter()
                .map(|(id, d)| ev::User {
                    uuid: id.clone(),
                    status: status_of(d),
                    tags: strings(d, "tags").unwrap_or_default(),
                    groups: Vec::new(),
                    role: role_name(d),
                })
                .collect(),
            groups: groups
                .iter()
                .map(|(id, d)| ev::Group {
                    uuid: id.clone(),
                    status: status_of(d),
                    tags: strings(d, "tags").unwrap_or_default(),
                    member_users: strings(d, "member_users").unwrap_or_default(),
                    member_groups: strings(d, "member_groups").unwrap_or_default(),
                })
                .collect(),
            apps: apps
                .iter()
                .map(|(id, d)| ev::App {
                    uuid: id.clone(),
                    status: status_of(d),
                    tags: strings(d, "tags").unwrap_or_default(),
                    refs: strings(d, "refs").unwrap_or_default(),
                })
                .collect(),
            accesses: accesses
                .iter()
                .map(|(id, d)| ev::Access {
                    uuid: id.clone(),
                    status: status_of(d),
                    access_type: d
                        .get("access_type")
                        .and_then(Value::as_i64)
                        .and_then(|n| i32::try_from(n).ok())
                        .and_then(|n| ev::AccessType::try_from(n).ok())
                        .unwrap_or_default(),
                    user_list: strings(d, "user_list").unwrap_or_default(),
                    app_list: strings(d, "app_list").unwrap_or_default(),
                    revoked_user_list: strings(d, "revoked_user_list").unwrap_or_default(),
                    allow_guest_access: d
                        .get("allow_guest_access")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    window: ev::TimeWindow {
                        start: millis(d, "start_time"),
                        end: millis(d, "end_time"),
                    },
                })
                .collect(),
            policies: policies
                .iter()
                .map(|(id, d)| ev::Policy {
                    uuid: id.clone(),
                    status: status_of(d),
                    priority: d.get("priority").and_then(Value::as_i64).unwrap_or(0),
                    action: d
                        .get("action")
                        .and_then(Value::as_i64)
                        .and_then(|n| i32::try_from(n).ok())
                        .and_then(|n| ev::PolicyAction::try_from(n).ok())
                        .unwrap_or_default(),
                    policy_type: d
                        .get("type")
                        .and_then(Value::as_i64)
                        .and_then(|n| i32::try_from(n).ok())
                        .and_then(|n| ev::PolicyType::try_from(n).ok())
                        .unwrap_or_default(),
                    session_filter: filter(d, "session_filter").unwrap_or_default(),
                    app_filter: filter(d, "app_filter").unwrap_or_default(),
                    allow_guest_access: d
                        .get("allow_guest_access")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    window: ev::TimeWindow::ALWAYS,
                })
                .collect(),
        };
        Ok((snap, [users, groups, apps, accesses, policies]))
    }

    fn pick(docs: &Docs, ids: &[&str]) -> Vec<Map<String, Value>> {
        ids.iter().filter_map(|id| docs.get(*id).cloned()).collect()
    }

    /// E001: the accesses that grant `userid` the app `appid`, and what they name.
    pub async fn accesses_for(
        &self,
        caller: &Principal,
        appid: &str,
        userid: &str,
    ) -> Result<AccessAnswer> {
        caller.require(ACCESSES.read_role)?;
        let (snap, [users, groups, apps, accesses, _]) = self.snapshot(caller.account_id).await?;
        let index = ev::Index::build(&snap);
        let m = index.accesses(ev::Principal::User(userid), appid, clock::now_ms());
        Ok(AccessAnswer {
            accesses: Self::pick(&accesses, &m.accesses),
            apps: Self::pick(&apps, &m.apps),
            groups: Self::pick(&groups, &m.groups),
            users: Self::pick(&users, &m.users),
        })
    }

    /// E066: the policies that apply to `userid` on `appid`, in evaluation order. With
    /// `resolve`, each policy's `filter_selector_display_names` maps the uuids its filters
    /// name to those objects' names.
    pub async fn policies_for(
        &self,
        caller: &Principal,
        appid: &str,
        userid: &str,
        resolve: bool,
    ) -> Result<Vec<Map<String, Value>>> {
        caller.require(POLICIES.read_role)?;
        let (snap, [users, groups, apps, _, policies]) = self.snapshot(caller.account_id).await?;
        let index = ev::Index::build(&snap);
        let session: [&str; 0] = [];
        let hits = index.matching_policies(
            ev::Principal::User(userid),
            appid,
            &session,
            clock::now_ms(),
        );
        let mut out = Vec::new();
        for hit in hits {
            let Some(mut doc) = policies.get(hit.uuid).cloned() else {
                continue;
            };
            if resolve {
                let mut names = Map::new();
                for f in ["session_filter", "app_filter"] {
                    for clause in filter(&doc, f)
                        .unwrap_or_default()
                        .include_any
                        .iter()
                        .chain(filter(&doc, f).unwrap_or_default().exclude_any.iter())
                    {
                        for sel in &clause.all {
                            let id = sel.split_once(':').map_or(sel.as_str(), |(_, v)| v);
                            let name = users
                                .get(id)
                                .map(|u| text(u, "display_name"))
                                .or_else(|| groups.get(id).map(|g| text(g, "name")))
                                .or_else(|| apps.get(id).map(|a| text(a, "name")));
                            if let Some(n) = name {
                                names.insert(sel.clone(), Value::String(n));
                            }
                        }
                    }
                }
                doc.insert("filter_selector_display_names".into(), Value::Object(names));
            }
            out.push(doc);
        }
        Ok(out)
    }
}
