//! IAM policy documents: is a repository policy public, or broad cross-account?
//!
//! The analysis has two phases. Reading turns the document into statements and rejects
//! shapes AWS itself would reject (a malformed policy is never applied, so any verdict about
//! it would be a guess). Judging then asks two questions of every statement with
//! three-valued logic, because parts of a Terraform policy may be known only after apply:
//!
//! - public: does an Allow statement grant a wildcard principal anything, with no condition
//!   that pins the caller to fixed values?
//! - broad: does an Allow statement grant pull or push to principals outside specific
//!   accounts, with no condition that pins the caller's account or organization?
//!
//! A statement that definitely answers "yes" decides the verdict; otherwise one whose answer
//! cannot be known makes the verdict unknown; otherwise the answer is "no".

use std::sync::Arc;

use crate::hcl::eval::value::{Unknown, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub value: Tri,
    /// Index into the document's statement list (0 when Statement is a single object) of the
    /// statement that decided a True or Unknown verdict.
    pub statement: Option<usize>,
    /// For True: which principal and which actions, and why the statement is not restricted,
    /// in words a user can act on. For Unknown: what could not be known and why. For False:
    /// a short explanation.
    pub reason: String,
    /// For True verdicts of has_broad_cross_account: the sensitive actions granted
    /// (e.g. ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]).
    pub actions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyAnalysis {
    pub public: Verdict,
    pub broad: Verdict,
    pub statement_count: usize,
}

/// Analyzes a policy document: a decoded JSON value, or a string holding the JSON text (as
/// the `policy` argument of `aws_ecr_repository_policy` does).
pub fn analyze(document: &Value) -> PolicyAnalysis {
    let read = match document {
        Value::String(text) => parse_policy_json(text)
            .map_err(Failure::whole)
            .and_then(|parsed| read_document(&parsed)),
        other => read_document(other),
    };
    match read {
        Ok(statements) => PolicyAnalysis {
            public: decide(&statements, judge_public, NOT_PUBLIC),
            broad: decide(&statements, judge_broad, NOT_BROAD),
            statement_count: statements.len(),
        },
        Err(failure) => failure.into_analysis(),
    }
}

/// Parses a policy JSON string into a Value (using serde_json) or returns a reason it is not
/// valid JSON (with line/column from serde_json's error).
pub fn parse_policy_json(text: &str) -> Result<Value, String> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|json| Value::from_json(&json))
        .map_err(|error| format!("the policy is not valid JSON: {error}"))
}

/// Case-insensitive IAM wildcard match (`*` any run, `?` one char).
///
/// Never backtracks past a matched piece: the pattern is split at `*`, the first and last
/// pieces must match the ends of the text, and every middle piece is taken at its leftmost
/// position after the previous one (leftmost is always safe: the next `*` absorbs whatever a
/// later position would have skipped). Each piece scans the text once, so the work is linear
/// in the text for a given pattern (at worst pattern length × text length), never exponential.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let mut pieces = pattern.split(|&c| c == '*');
    // `split` always yields at least one piece.
    let first = pieces.next().unwrap_or_default();
    let mut middle: Vec<&[char]> = pieces.collect();
    let Some(last) = middle.pop() else {
        // No `*` at all: the whole text must match piece by piece.
        return text.len() == first.len() && piece_matches(first, &text);
    };
    if text.len() < first.len() || !piece_matches(first, &text[..first.len()]) {
        return false;
    }
    let mut rest = &text[first.len()..];
    for piece in middle {
        match find_piece(piece, rest) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && piece_matches(last, &rest[rest.len() - last.len()..])
}

/// A star-free pattern piece against text of the same length (`?` matches any one char).
fn piece_matches(piece: &[char], text: &[char]) -> bool {
    piece.len() == text.len() && piece.iter().zip(text).all(|(p, t)| *p == '?' || p == t)
}

/// The leftmost position in `text` where a star-free piece matches.
fn find_piece(piece: &[char], text: &[char]) -> Option<usize> {
    if piece.len() > text.len() {
        return None;
    }
    (0..=text.len() - piece.len()).find(|&at| piece_matches(piece, &text[at..at + piece.len()]))
}

// ---------------------------------------------------------------------------------------
// What the analysis looks for
// ---------------------------------------------------------------------------------------

/// Pulling an image needs GetDownloadUrlForLayer and BatchGetImage; pushing needs PutImage.
/// Granting these beyond fixed accounts is what shares a repository broadly. Sorted, so the
/// actions reported come out sorted.
const SENSITIVE_ACTIONS: [&str; 3] = [
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:PutImage",
];

/// Condition keys (lowercase) and what a condition on another key fails to do.
struct KeySet {
    keys: &'static [&'static str],
    other_key: &'static str,
}

/// Keys that, pinned to fixed values, confine callers to a known set: such a statement is
/// not public even with a wildcard principal.
const RESTRICTING_KEYS: KeySet = KeySet {
    keys: &[
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceowner",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:userid",
    ],
    other_key: "does not restrict who can call",
};

/// Keys that pin the caller's account or organization. Network keys (VPC, IP) are absent:
/// they restrict where a call comes from, not whose account makes it.
const ACCOUNT_PINNING_KEYS: KeySet = KeySet {
    keys: &[
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalarn",
        "aws:sourcearn",
    ],
    other_key: "does not pin the caller's account or organization",
};

/// Operators (lowercase, without `ForAnyValue:`/`ForAllValues:`) that compare the key with
/// the listed values and fail when the key is absent.
const PINNING_OPERATORS: [&str; 6] = [
    "stringequals",
    "stringequalsignorecase",
    "stringlike",
    "arnequals",
    "arnlike",
    "ipaddress",
];

const NOT_PUBLIC: &str = "no Allow statement grants a wildcard principal access without a \
                          condition that pins the caller";
const NOT_BROAD: &str = "no Allow statement grants ecr:BatchGetImage, \
                         ecr:GetDownloadUrlForLayer or ecr:PutImage to principals outside \
                         specific accounts without a condition that pins the caller's account \
                         or organization";
const NO_PINNING_CONDITION: &str =
    "with no condition that pins the caller's account or organization";

// ---------------------------------------------------------------------------------------
// The document as read
// ---------------------------------------------------------------------------------------

/// A piece of the document that is either known or known only after apply.
#[derive(Clone, Debug)]
enum Part<T> {
    Known(T),
    Unknown(Arc<Unknown>),
}

impl Part<String> {
    /// For messages: the text, or Terraform's wording for an unknown value.
    fn show(&self) -> String {
        match self {
            Part::Known(text) => format!("{text:?}"),
            Part::Unknown(_) => "(known after apply)".to_string(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum PrincipalKind {
    /// The bare `"*"` principal, or a whole Principal that is unknown.
    Any,
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

#[derive(Debug)]
struct Principal {
    kind: PrincipalKind,
    id: Part<String>,
}

#[derive(Debug)]
struct Principals {
    /// `NotPrincipal`: the statement applies to everyone except the entries.
    negated: bool,
    entries: Vec<Principal>,
}

#[derive(Debug)]
struct Actions {
    /// `NotAction`: the statement covers every action except the patterns.
    negated: bool,
    patterns: Vec<Part<String>>,
}

/// One key under one operator: `"StringEquals": {"aws:PrincipalOrgID": ["o-1"]}`.
#[derive(Debug)]
struct KeyTest {
    key: String,
    values: Vec<Part<String>>,
}

#[derive(Debug)]
struct Clause {
    operator: String,
    tests: Part<Vec<KeyTest>>,
}

#[derive(Debug)]
struct Statement {
    index: usize,
    sid: Option<String>,
    effect: Part<Effect>,
    principals: Principals,
    actions: Actions,
    /// An absent Condition is an empty clause list: nothing restricts.
    condition: Part<Vec<Clause>>,
}

#[derive(Debug)]
enum Slot {
    Known(Statement),
    /// A list element that is unknown as a whole: it could be any statement.
    Unknown {
        index: usize,
        reason: String,
    },
}

impl Slot {
    fn index(&self) -> usize {
        match self {
            Slot::Known(statement) => statement.index,
            Slot::Unknown { index, .. } => *index,
        }
    }
}

/// Why no statement list could be read: the document is unknown or malformed.
struct Failure {
    reason: String,
    statement: Option<usize>,
    statement_count: usize,
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

impl Failure {
    fn whole(reason: String) -> Failure {
        Failure {
            reason,
            statement: None,
            statement_count: 0,
        }
    }

    /// Both verdicts are unknown, for the same reason.
    fn into_analysis(self) -> PolicyAnalysis {
        let verdict = Verdict {
            value: Tri::Unknown,
            statement: self.statement,
            reason: self.reason,
            actions: Vec::new(),
        };
        PolicyAnalysis {
            public: verdict.clone(),
            broad: verdict,
            statement_count: self.statement_count,
        }
    }
}

fn read_document(document: &Value) -> Result<Vec<Slot>, Failure> {
    let whole = Failure::whole;
    let fields = match document {
        Value::Unknown(u) => {
            return Err(whole(format!(
                "the policy document is not known: {}",
                u.reason
            )))
        }
        Value::Map(fields) => fields,
        other => {
            return Err(whole(format!(
                "malformed policy: the document must be a JSON object, found {}",
                shape(other)
            )))
        }
    };
    let elements: Vec<&Value> = match present(fields.get("Statement")) {
        None => {
            return Err(whole(
                "malformed policy: the document has no Statement".into(),
            ))
        }
        Some(Value::Unknown(u)) => {
            return Err(whole(format!(
                "the policy's Statement is not known: {}",
                u.reason
            )))
        }
        Some(single @ Value::Map(_)) => vec![single],
        Some(Value::List(items)) => items.iter().collect(),
        Some(other) => {
            return Err(whole(format!(
                "malformed policy: Statement must be an object or a list of objects, found {}",
                shape(other)
            )))
        }
    };
    let count = elements.len();
    elements
        .into_iter()
        .enumerate()
        .map(|(index, element)| {
            read_statement(index, element).map_err(|why| Failure {
                reason: format!("malformed policy: statement {index} {why}"),
                statement: Some(index),
                statement_count: count,
            })
        })
        .collect()
}

/// Terraform writes absent optional attributes as null; AWS treats a null element as absent.
fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

fn read_statement(index: usize, element: &Value) -> Result<Slot, String> {
    let fields = match element {
        Value::Unknown(u) => {
            return Ok(Slot::Unknown {
                index,
                reason: u.reason.clone(),
            })
        }
        Value::Map(fields) => fields,
        other => return Err(format!("must be an object, found {}", shape(other))),
    };
    let field = |name: &str| present(fields.get(name));
    Ok(Slot::Known(Statement {
        index,
        sid: field("Sid").and_then(Value::as_str).map(|s| s.into_owned()),
        effect: read_effect(field("Effect"))?,
        principals: read_principals(field("Principal"), field("NotPrincipal"))?,
        actions: read_actions(field("Action"), field("NotAction"))?,
        condition: read_condition(field("Condition"))?,
    }))
}

fn read_effect(value: Option<&Value>) -> Result<Part<Effect>, String> {
    match value {
        None => Err("has no Effect".into()),
        Some(Value::Unknown(u)) => Ok(Part::Unknown(u.clone())),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("allow") => Ok(Part::Known(Effect::Allow)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("deny") => Ok(Part::Known(Effect::Deny)),
        Some(other) => Err(format!(
            "has Effect {}, expected \"Allow\" or \"Deny\"",
            shape(other)
        )),
    }
}

/// Which scalars a list of strings may hold. Account ids written as numbers are common in
/// Terraform (`AWS = 123456789012`) and condition values may be numbers or bools, but an
/// action is always text.
#[derive(Clone, Copy, PartialEq)]
enum Scalars {
    Strings,
    StringsAndNumbers,
    Any,
}

/// A string or list of strings, as Principal values, actions and condition values are.
fn read_strings(value: &Value, scalars: Scalars) -> Result<Vec<Part<String>>, String> {
    match value {
        Value::List(items) => items
            .iter()
            .map(|item| read_scalar(item, scalars))
            .collect(),
        other => read_scalar(other, scalars).map(|part| vec![part]),
    }
}

fn read_scalar(value: &Value, scalars: Scalars) -> Result<Part<String>, String> {
    let accepted = match value {
        Value::String(_) => true,
        Value::Number(_) => scalars != Scalars::Strings,
        Value::Bool(_) => scalars == Scalars::Any,
        _ => false,
    };
    match (value, value.as_str()) {
        (Value::Unknown(u), _) => Ok(Part::Unknown(u.clone())),
        (_, Some(text)) if accepted => Ok(Part::Known(text.into_owned())),
        _ => Err(format!(
            "must be a string or a list of strings, found {}",
            shape(value)
        )),
    }
}

fn read_principals(
    principal: Option<&Value>,
    not_principal: Option<&Value>,
) -> Result<Principals, String> {
    let (negated, name, block) = match (principal, not_principal) {
        (Some(_), Some(_)) => return Err("has both Principal and NotPrincipal".into()),
        (Some(block), None) => (false, "Principal", block),
        (None, Some(block)) => (true, "NotPrincipal", block),
        // A repository policy is a resource policy: AWS rejects statements naming no one.
        (None, None) => return Err("has no Principal".into()),
    };
    let entries = read_principal_block(block).map_err(|why| format!("has a {name} that {why}"))?;
    Ok(Principals { negated, entries })
}

fn read_principal_block(block: &Value) -> Result<Vec<Principal>, String> {
    match block {
        Value::Unknown(u) => Ok(vec![Principal {
            kind: PrincipalKind::Any,
            id: Part::Unknown(u.clone()),
        }]),
        Value::String(s) if s == "*" => Ok(vec![Principal {
            kind: PrincipalKind::Any,
            id: Part::Known(s.clone()),
        }]),
        Value::Map(types) => {
            let mut entries = Vec::new();
            for (name, ids) in types.iter() {
                let kind = principal_kind(name)?;
                let ids = read_strings(ids, Scalars::StringsAndNumbers)
                    .map_err(|why| format!("under {name:?} {why}"))?;
                entries.extend(ids.into_iter().map(|id| Principal { kind, id }));
            }
            Ok(entries)
        }
        other => Err(format!(
            "must be \"*\" or an object such as {{\"AWS\": ...}}, found {}",
            shape(other)
        )),
    }
}

fn principal_kind(name: &str) -> Result<PrincipalKind, String> {
    match name.to_ascii_lowercase().as_str() {
        "aws" => Ok(PrincipalKind::Aws),
        "service" => Ok(PrincipalKind::Service),
        "federated" => Ok(PrincipalKind::Federated),
        "canonicaluser" => Ok(PrincipalKind::CanonicalUser),
        _ => Err(format!(
            "has principal type {name:?}, expected AWS, Service, Federated or CanonicalUser"
        )),
    }
}

fn read_actions(action: Option<&Value>, not_action: Option<&Value>) -> Result<Actions, String> {
    let (negated, name, value) = match (action, not_action) {
        (Some(_), Some(_)) => return Err("has both Action and NotAction".into()),
        (Some(value), None) => (false, "Action", value),
        (None, Some(value)) => (true, "NotAction", value),
        (None, None) => return Err("has no Action".into()),
    };
    let patterns = read_strings(value, Scalars::Strings).map_err(|why| format!("{name} {why}"))?;
    Ok(Actions { negated, patterns })
}

fn read_condition(condition: Option<&Value>) -> Result<Part<Vec<Clause>>, String> {
    let operators = match condition {
        None => return Ok(Part::Known(Vec::new())),
        Some(Value::Unknown(u)) => return Ok(Part::Unknown(u.clone())),
        Some(Value::Map(operators)) => operators,
        Some(other) => {
            return Err(format!(
                "has a Condition that must be an object, found {}",
                shape(other)
            ))
        }
    };
    operators
        .iter()
        .map(|(operator, tests)| {
            Ok(Clause {
                operator: operator.clone(),
                tests: read_key_tests(operator, tests)?,
            })
        })
        .collect::<Result<_, String>>()
        .map(Part::Known)
}

fn read_key_tests(operator: &str, tests: &Value) -> Result<Part<Vec<KeyTest>>, String> {
    let keys = match tests {
        Value::Unknown(u) => return Ok(Part::Unknown(u.clone())),
        Value::Map(keys) => keys,
        other => {
            return Err(format!(
                "has a Condition operator {operator} that must map keys to values, found {}",
                shape(other)
            ))
        }
    };
    keys.iter()
        .map(|(key, values)| {
            let values = read_strings(values, Scalars::Any)
                .map_err(|why| format!("has a Condition value for {operator} {key} that {why}"))?;
            Ok(KeyTest {
                key: key.clone(),
                values,
            })
        })
        .collect::<Result<_, String>>()
        .map(Part::Known)
}

/// A value's type, and its text when short enough to help find it.
fn shape(value: &Value) -> String {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            format!("{} {value}", value.type_name())
        }
        other => other.type_name().to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Judging
// ---------------------------------------------------------------------------------------

/// One test on one statement: decided, or not knowable (with what a user needs to know).
#[derive(Clone, Debug, PartialEq)]
enum Fact {
    Yes,
    No,
    Maybe(String),
}

impl Fact {
    /// Three-valued AND: any definite No wins over anything unknown.
    fn and(self, other: Fact) -> Fact {
        match (self, other) {
            (Fact::No, _) | (_, Fact::No) => Fact::No,
            (Fact::Maybe(why), _) | (_, Fact::Maybe(why)) => Fact::Maybe(why),
            (Fact::Yes, Fact::Yes) => Fact::Yes,
        }
    }

    fn not(self) -> Fact {
        match self {
            Fact::Yes => Fact::No,
            Fact::No => Fact::Yes,
            maybe => maybe,
        }
    }

    fn from_bool(yes: bool) -> Fact {
        if yes {
            Fact::Yes
        } else {
            Fact::No
        }
    }
}

/// What one statement says about one verdict.
enum Outcome {
    Yes {
        reason: String,
        actions: Vec<String>,
    },
    No,
    Maybe(String),
}

/// The first statement that definitely answers yes decides; failing that, the first that
/// might; otherwise the answer is no.
fn decide(slots: &[Slot], judge: fn(&Statement) -> Outcome, none: &str) -> Verdict {
    let mut first_maybe = None;
    for slot in slots {
        let outcome = match slot {
            Slot::Known(statement) => judge(statement),
            Slot::Unknown { index, reason } => {
                Outcome::Maybe(format!("statement {index} is not known: {reason}"))
            }
        };
        match outcome {
            Outcome::Yes { reason, actions } => {
                return Verdict {
                    value: Tri::True,
                    statement: Some(slot.index()),
                    reason,
                    actions,
                }
            }
            Outcome::Maybe(reason) if first_maybe.is_none() => {
                first_maybe = Some(Verdict {
                    value: Tri::Unknown,
                    statement: Some(slot.index()),
                    reason,
                    actions: Vec::new(),
                });
            }
            Outcome::Maybe(_) | Outcome::No => {}
        }
    }
    first_maybe.unwrap_or_else(|| Verdict {
        value: Tri::False,
        statement: None,
        reason: if slots.is_empty() {
            "the policy has no statements, so it grants nothing".to_string()
        } else {
            none.to_string()
        },
        actions: Vec::new(),
    })
}

fn judge_public(statement: &Statement) -> Outcome {
    let (principal, who) = wildcard_principal(&statement.principals);
    let pinning = pinning(&statement.condition, &RESTRICTING_KEYS);
    let fact = allows(statement)
        .and(principal)
        .and(grants_some_action(&statement.actions))
        .and(pinning.fact.clone().not());
    match fact {
        Fact::No => Outcome::No,
        Fact::Maybe(why) => Outcome::Maybe(format!("{}: {why}", statement.label())),
        Fact::Yes => Outcome::Yes {
            reason: format!(
                "{} allows {who} {} {}",
                statement.label(),
                statement.actions.describe(),
                pinning.describe()
            ),
            actions: Vec::new(),
        },
    }
}

fn judge_broad(statement: &Statement) -> Outcome {
    let (principal, who) = unpinned_principal(&statement.principals);
    let (granted, grants) = sensitive_grants(&statement.actions);
    let pinning = pinning(&statement.condition, &ACCOUNT_PINNING_KEYS);
    let fact = allows(statement)
        .and(principal)
        .and(grants)
        .and(pinning.fact.clone().not());
    match fact {
        Fact::No => Outcome::No,
        Fact::Maybe(why) => Outcome::Maybe(format!("{}: {why}", statement.label())),
        Fact::Yes => Outcome::Yes {
            reason: format!(
                "{} allows {who} {} {}",
                statement.label(),
                granted.join(", "),
                pinning.describe()
            ),
            actions: granted.iter().map(|a| a.to_string()).collect(),
        },
    }
}

impl Statement {
    /// How messages name the statement: `statement 0 (Sid "Public")`.
    fn label(&self) -> String {
        match &self.sid {
            Some(sid) => format!("statement {} (Sid {sid:?})", self.index),
            None => format!("statement {}", self.index),
        }
    }
}

fn allows(statement: &Statement) -> Fact {
    match &statement.effect {
        Part::Known(effect) => Fact::from_bool(*effect == Effect::Allow),
        Part::Unknown(u) => Fact::Maybe(format!("its Effect is not known: {}", u.reason)),
    }
}

/// An unknown principal could be anything, unless it is derived from the caller's own
/// identity: then it names the owner's account, never a wildcard.
fn unknown_principal(u: &Unknown) -> Fact {
    match &u.origin {
        Some(origin) if origin.own_account => Fact::No,
        _ => Fact::Maybe(format!("its principal is not known: {}", u.reason)),
    }
}

/// Does the statement apply to everyone? Returns the fact and, when yes, who.
fn wildcard_principal(principals: &Principals) -> (Fact, String) {
    if principals.negated {
        return everyone_except(principals);
    }
    let mut fact = Fact::No;
    for entry in &principals.entries {
        let this = match (&entry.kind, &entry.id) {
            (PrincipalKind::Any | PrincipalKind::Aws, Part::Known(id)) => {
                Fact::from_bool(id == "*")
            }
            (PrincipalKind::Any | PrincipalKind::Aws, Part::Unknown(u)) => unknown_principal(u),
            // Only AWS principals can be the anonymous wildcard; a service or identity
            // provider is a named party even when its name is not known yet.
            _ => Fact::No,
        };
        match this {
            Fact::Yes => return (Fact::Yes, "principal \"*\"".to_string()),
            Fact::Maybe(_) if fact == Fact::No => fact = this,
            _ => {}
        }
    }
    (fact, String::new())
}

/// Does the statement reach principals outside specific accounts? Returns the fact and,
/// when yes, which principal does.
fn unpinned_principal(principals: &Principals) -> (Fact, String) {
    if principals.negated {
        return everyone_except(principals);
    }
    let mut fact = Fact::No;
    for entry in &principals.entries {
        let this = entry_is_unpinned(entry);
        match this {
            Fact::Yes => return (Fact::Yes, describe_unpinned(entry)),
            Fact::Maybe(_) if fact == Fact::No => fact = this,
            _ => {}
        }
    }
    (fact, String::new())
}

fn entry_is_unpinned(entry: &Principal) -> Fact {
    match (&entry.kind, &entry.id) {
        // Any account's service may act through a service principal: the service, not the
        // policy, decides on whose behalf it calls.
        (PrincipalKind::Service, _) => Fact::Yes,
        (PrincipalKind::CanonicalUser, _) => Fact::No,
        (_, Part::Unknown(u)) => unknown_principal(u),
        (PrincipalKind::Any | PrincipalKind::Aws, Part::Known(id)) => {
            Fact::from_bool(id == "*" || has_wildcard(account_of(id)))
        }
        // An identity provider ARN lives in one account; a provider named by host
        // (accounts.google.com) vouches for users of every account.
        (PrincipalKind::Federated, Part::Known(id)) => Fact::from_bool(
            arn_account(id).is_none_or(|account| account.is_empty() || has_wildcard(account)),
        ),
    }
}

fn describe_unpinned(entry: &Principal) -> String {
    let id = entry.id.show();
    match entry.kind {
        PrincipalKind::Service => format!("service principal {id}"),
        PrincipalKind::Federated => format!("federated principal {id}"),
        _ if id == "\"*\"" => "principal \"*\"".to_string(),
        _ => format!("principal {id} (any account)"),
    }
}

/// NotPrincipal with Allow grants everyone but the listed principals. Listing `"*"` excludes
/// everyone; an unknown entry might be `"*"`.
fn everyone_except(principals: &Principals) -> (Fact, String) {
    let mut fact = Fact::Yes;
    for entry in &principals.entries {
        match &entry.id {
            Part::Known(id) if id == "*" => return (Fact::No, String::new()),
            // An own-account entry is a specific exclusion; any other unknown might be "*".
            Part::Unknown(u) if fact == Fact::Yes => {
                if let maybe @ Fact::Maybe(_) = unknown_principal(u) {
                    fact = maybe;
                }
            }
            _ => {}
        }
    }
    let excluded: Vec<String> = principals.entries.iter().map(|e| e.id.show()).collect();
    (
        fact,
        format!("every principal except {}", excluded.join(", ")),
    )
}

/// The account field of an ARN (`arn:partition:service:region:account:resource`).
fn arn_account(id: &str) -> Option<&str> {
    if !id.to_ascii_lowercase().starts_with("arn:") {
        return None;
    }
    id.split(':').nth(4)
}

/// The account an AWS principal names: a bare account id, or an ARN's account field.
fn account_of(id: &str) -> &str {
    arn_account(id).unwrap_or(id)
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// Does the statement grant anything at all? Any action makes a wildcard principal public.
fn grants_some_action(actions: &Actions) -> Fact {
    if !actions.negated {
        return Fact::from_bool(!actions.patterns.is_empty());
    }
    // NotAction excludes everything only through a pattern of stars; an unknown pattern
    // might be one.
    let mut fact = Fact::Yes;
    for pattern in &actions.patterns {
        match pattern {
            Part::Known(p) if !p.is_empty() && p.chars().all(|c| c == '*') => return Fact::No,
            Part::Unknown(u) if fact == Fact::Yes => {
                fact = Fact::Maybe(format!("its NotAction is not known: {}", u.reason));
            }
            _ => {}
        }
    }
    fact
}

/// Which sensitive actions the statement definitely grants, and whether it grants any.
fn sensitive_grants(actions: &Actions) -> (Vec<&'static str>, Fact) {
    let listed = |action: &str| {
        (actions.patterns.iter())
            .any(|p| matches!(p, Part::Known(pattern) if wildcard_match(pattern, action)))
    };
    // Granted by the known patterns: listed under Action, not listed under NotAction.
    let granted: Vec<&'static str> = SENSITIVE_ACTIONS
        .into_iter()
        .filter(|action| listed(action) != actions.negated)
        .collect();
    let unknown = actions.patterns.iter().find_map(|p| match p {
        Part::Unknown(u) => Some(&u.reason),
        Part::Known(_) => None,
    });
    match (unknown, actions.negated) {
        (None, _) => {
            let fact = Fact::from_bool(!granted.is_empty());
            (granted, fact)
        }
        // An unknown Action pattern can only add actions: the known grants stand.
        (Some(_), false) if !granted.is_empty() => (granted, Fact::Yes),
        (Some(why), false) => (
            granted,
            Fact::Maybe(format!("its Action is not known: {why}")),
        ),
        // An unknown NotAction pattern might exclude any action: nothing is granted for sure.
        (Some(_), true) if granted.is_empty() => (granted, Fact::No),
        (Some(why), true) => (
            Vec::new(),
            Fact::Maybe(format!("its NotAction is not known: {why}")),
        ),
    }
}

impl Actions {
    /// The actions as written: `ecr:BatchGetImage, ecr:GetDownloadUrlForLayer`.
    fn describe(&self) -> String {
        let listed: Vec<String> = self
            .patterns
            .iter()
            .map(|p| match p {
                Part::Known(text) => text.clone(),
                Part::Unknown(_) => "(known after apply)".to_string(),
            })
            .collect();
        if self.negated {
            format!("every action except {}", listed.join(", "))
        } else {
            listed.join(", ")
        }
    }
}

/// Whether the Condition pins the caller, and for each clause that does not, why not.
struct Pinning {
    fact: Fact,
    notes: Vec<String>,
}

impl Pinning {
    fn describe(&self) -> String {
        if self.notes.is_empty() {
            NO_PINNING_CONDITION.to_string()
        } else {
            format!("{NO_PINNING_CONDITION} ({})", self.notes.join("; "))
        }
    }
}

/// Condition clauses are ANDed, so one clause that pins the caller is enough.
fn pinning(condition: &Part<Vec<Clause>>, keys: &KeySet) -> Pinning {
    let clauses = match condition {
        Part::Known(clauses) => clauses,
        Part::Unknown(u) => {
            return Pinning {
                fact: Fact::Maybe(format!("its Condition is not known: {}", u.reason)),
                notes: Vec::new(),
            }
        }
    };
    let mut unknown = None;
    let mut notes = Vec::new();
    for clause in clauses {
        let tests = match &clause.tests {
            Part::Known(tests) => tests,
            Part::Unknown(u) => {
                unknown.get_or_insert_with(|| {
                    format!(
                        "its Condition operator {} is not known: {}",
                        clause.operator, u.reason
                    )
                });
                continue;
            }
        };
        for test in tests {
            match test_pins(&clause.operator, test, keys) {
                Ok(()) => {
                    return Pinning {
                        fact: Fact::Yes,
                        notes: Vec::new(),
                    }
                }
                Err(note) => notes.push(note),
            }
        }
    }
    Pinning {
        fact: unknown.map_or(Fact::No, Fact::Maybe),
        notes,
    }
}

/// Ok when this key test admits only callers matching fixed values; otherwise why not.
fn test_pins(operator: &str, test: &KeyTest, keys: &KeySet) -> Result<(), String> {
    let key = test.key.to_ascii_lowercase();
    if !keys.keys.contains(&key.as_str()) {
        return Err(format!("{} {}", test.key, keys.other_key));
    }
    let comparison =
        operator_pins(operator).map_err(|why| format!("{operator} on {} {why}", test.key))?;
    if test.values.is_empty() {
        return Err(format!("{operator} on {} lists no values", test.key));
    }
    for value in &test.values {
        // An unknown value under a pinning key is an account or organization id passed
        // through a variable: fixed, just not known here.
        if let Part::Known(text) = value {
            if let Some(why) = value_problem(&key, text, comparison) {
                return Err(format!("{operator} on {}: {why}", test.key));
            }
        }
    }
    Ok(())
}

/// How a pinning operator compares values.
#[derive(Clone, Copy, PartialEq)]
enum Comparison {
    /// ArnEquals/ArnLike match each colon-separated ARN field on its own, so a wildcard in
    /// the region cannot reach into the account field.
    Arn,
    /// String operators match the whole text: a wildcard before the account may span it.
    Text,
}

/// Ok for operators that fail when the key's value is not one of the listed values.
fn operator_pins(operator: &str) -> Result<Comparison, &'static str> {
    let lower = operator.to_ascii_lowercase();
    let base = lower
        .strip_prefix("foranyvalue:")
        .or_else(|| lower.strip_prefix("forallvalues:"))
        .unwrap_or(&lower);
    if base.ends_with("ifexists") {
        return Err("passes when the key is absent");
    }
    if PINNING_OPERATORS.contains(&base) {
        return Ok(if base.starts_with("arn") {
            Comparison::Arn
        } else {
            Comparison::Text
        });
    }
    if base.contains("not") {
        return Err("is negated: it admits every other value");
    }
    Err("does not compare the key with fixed values")
}

/// None when the value is fixed for this key; otherwise why it is not.
fn value_problem(key: &str, value: &str, comparison: Comparison) -> Option<String> {
    let identity = identifying_part(key, value, comparison);
    if identity.contains("${") {
        return Some(format!("value {value:?} uses a policy variable"));
    }
    if has_wildcard(identity) {
        return Some(format!("value {value:?} has a wildcard"));
    }
    if key == "aws:sourceip" && value.trim().ends_with("/0") {
        return Some(format!("value {value:?} admits every address"));
    }
    None
}

/// The part of a condition value that must be literal for it to pin the caller. Wildcards
/// after it only choose among the pinned account's or organization's own principals.
fn identifying_part<'a>(key: &str, value: &'a str, comparison: Comparison) -> &'a str {
    match key {
        "aws:principalarn" | "aws:sourcearn" => match comparison {
            Comparison::Arn => arn_account(value).filter(|account| !account.is_empty()),
            Comparison::Text => arn_through_account(value),
        }
        .unwrap_or(value),
        // o-orgid/r-root/ou-...: the organization id comes first.
        "aws:principalorgpaths" | "aws:sourceorgpaths" => value.split('/').next().unwrap_or(value),
        // AROAID:session: the unique id of the role or user comes first.
        "aws:userid" => value.split(':').next().unwrap_or(value),
        _ => value,
    }
}

/// `arn:aws:iam::123456789012` of `arn:aws:iam::123456789012:role/x`: everything up to and
/// including a non-empty account field. None for ARNs without an account (S3 buckets are
/// global, so their whole ARN must be literal) and for non-ARNs.
fn arn_through_account(value: &str) -> Option<&str> {
    let (end, _) = value.match_indices(':').nth(4)?;
    let prefix = &value[..end];
    let account = arn_account(value)?;
    (!account.is_empty()).then_some(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hcl::eval::value::Origin;
    use serde_json::json;
    use std::time::Duration;

    const UNKNOWN: &str = "<unknown>";
    const OWN_ACCOUNT: &str = "<own-account>";
    const UNKNOWN_REASON: &str = "`var.org_id` has no value";

    /// A document from JSON, with `"<unknown>"` strings replaced by unknown values and
    /// `"<own-account>"` by an unknown from `data.aws_caller_identity`.
    fn doc(json: serde_json::Value) -> Value {
        with_unknowns(&Value::from_json(&json))
    }

    fn with_unknowns(value: &Value) -> Value {
        match value {
            Value::String(s) if s == UNKNOWN => Value::unknown(UNKNOWN_REASON, None),
            Value::String(s) if s == OWN_ACCOUNT => Value::unknown_from(
                "`data.aws_caller_identity.me.account_id` is known only after apply",
                None,
                Origin {
                    address: "data.aws_caller_identity.me".into(),
                    attribute: "account_id".into(),
                    own_account: true,
                },
            ),
            Value::List(items) => Value::list(items.iter().map(with_unknowns).collect()),
            Value::Map(m) => Value::map(
                m.iter()
                    .map(|(k, v)| (k.clone(), with_unknowns(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// A one-statement policy: Allow "*" ecr:BatchGetImage, with `changes` applied (a null
    /// removes the field).
    fn allow(changes: serde_json::Value) -> Value {
        let mut statement = json!({
            "Sid": "S",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "ecr:BatchGetImage",
        });
        let fields = statement.as_object_mut().unwrap();
        for (key, value) in changes.as_object().unwrap() {
            if value.is_null() {
                fields.remove(key);
            } else {
                fields.insert(key.clone(), value.clone());
            }
        }
        doc(json!({"Version": "2012-10-17", "Statement": [statement]}))
    }

    fn public(document: &Value) -> Tri {
        analyze(document).public.value
    }

    fn broad(document: &Value) -> Tri {
        analyze(document).broad.value
    }

    fn condition(operator: &str, key: &str, value: serde_json::Value) -> serde_json::Value {
        json!({ "Condition": { operator: { key: value } } })
    }

    // ---- wildcard_match ------------------------------------------------------------

    #[test]
    fn wildcard_match_is_exact_without_wildcards_and_ignores_case() {
        assert!(wildcard_match("ecr:BatchGetImage", "ecr:BatchGetImage"));
        assert!(wildcard_match("ECR:batchgetimage", "ecr:BatchGetImage"));
        assert!(!wildcard_match("ecr:BatchGetImage", "ecr:BatchGetImages"));
        assert!(!wildcard_match("ecr:BatchGetImages", "ecr:BatchGetImage"));
        assert!(wildcard_match("", ""));
        assert!(!wildcard_match("", "a"));
    }

    #[test]
    fn wildcard_match_understands_star_and_question_mark() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("*", "ecr:PutImage"));
        assert!(wildcard_match("ecr:*", "ecr:PutImage"));
        assert!(!wildcard_match("ecr:*", "s3:GetObject"));
        assert!(wildcard_match("ecr:Batch*", "ecr:BatchGetImage"));
        assert!(!wildcard_match("ecr:Batch*", "ecr:GetDownloadUrlForLayer"));
        assert!(wildcard_match("*Image", "ecr:PutImage"));
        assert!(wildcard_match("ecr:*Get*", "ecr:BatchGetImage"));
        assert!(wildcard_match("ecr:Put?mage", "ecr:PutImage"));
        assert!(!wildcard_match("ecr:Put?mage", "ecr:PutImmage"));
        assert!(wildcard_match("a**b", "ab"));
        assert!(!wildcard_match("a*b*c", "acb"));
        assert!(wildcard_match("*ab", "aab"));
        assert!(
            !wildcard_match("ab*ba", "aba"),
            "end pieces must not overlap"
        );
        assert!(!wildcard_match("?", ""));
    }

    #[test]
    fn wildcard_match_is_fast_on_pathological_patterns() {
        let pattern = format!("{}b", "a*".repeat(40));
        let text = "a".repeat(20_000);
        let ok_text = format!("{text}b");
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let results = (
                wildcard_match(&pattern, &text),
                wildcard_match(&pattern, &ok_text),
                wildcard_match(&"*?".repeat(200), &"x".repeat(20_000)),
            );
            let _ = done.send(results);
        });
        // A backtracking matcher would not finish these in the lifetime of the universe.
        let results = finished
            .recv_timeout(Duration::from_secs(10))
            .expect("wildcard_match took more than 10 seconds");
        assert_eq!(results, (false, true, true));
    }

    // ---- parse_policy_json ---------------------------------------------------------

    #[test]
    fn parse_policy_json_decodes_valid_json() {
        let value = parse_policy_json(r#"{"Statement": [{"Effect": "Allow"}]}"#).unwrap();
        assert_eq!(value, doc(json!({"Statement": [{"Effect": "Allow"}]})));
    }

    #[test]
    fn parse_policy_json_reports_line_and_column() {
        let error = parse_policy_json("{\n  \"Statement\": [,]\n}").unwrap_err();
        assert!(error.contains("not valid JSON"), "{error}");
        assert!(error.contains("line 2 column 17"), "{error}");
    }

    #[test]
    fn a_json_string_document_is_parsed_first() {
        let text = r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}}"#;
        let analysis = analyze(&Value::string(text));
        assert_eq!(analysis.public.value, Tri::True);
        assert_eq!(analysis.broad.value, Tri::True);
        let broken = analyze(&Value::string("{\"Statement\": "));
        assert_eq!(broken.public.value, Tri::Unknown);
        assert!(
            broken.public.reason.contains("line 1"),
            "{}",
            broken.public.reason
        );
    }

    // ---- principals ----------------------------------------------------------------

    #[test]
    fn bare_star_principal_is_public_and_broad() {
        let analysis = analyze(&allow(json!({})));
        assert_eq!(analysis.public.value, Tri::True);
        assert_eq!(analysis.broad.value, Tri::True);
        assert_eq!(analysis.broad.actions, vec!["ecr:BatchGetImage"]);
    }

    #[test]
    fn aws_star_principal_is_public() {
        let policy = allow(json!({"Principal": {"AWS": "*"}}));
        assert_eq!(public(&policy), Tri::True);
        assert_eq!(broad(&policy), Tri::True);
    }

    #[test]
    fn star_inside_an_aws_list_is_public() {
        let policy = allow(json!({"Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}}));
        assert_eq!(public(&policy), Tri::True);
        assert_eq!(broad(&policy), Tri::True);
    }

    #[test]
    fn specific_accounts_are_neither_public_nor_broad() {
        for principal in [
            json!({"AWS": "123456789012"}),
            json!({"AWS": 123456789012u64}),
            json!({"AWS": "arn:aws:iam::123456789012:root"}),
            json!({"AWS": ["arn:aws:iam::123456789012:role/ci", "111122223333"]}),
            json!({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}),
            json!({"Federated": "arn:aws:iam::123456789012:saml-provider/corp"}),
        ] {
            let policy = allow(json!({"Principal": principal.clone(), "Action": "ecr:*"}));
            assert_eq!(public(&policy), Tri::False, "{principal}");
            assert_eq!(broad(&policy), Tri::False, "{principal}");
        }
    }

    #[test]
    fn wildcard_account_arns_are_broad_but_not_public() {
        for arn in [
            "arn:aws:iam::*:root",
            "arn:aws:iam::*:role/x",
            "12345678901?",
        ] {
            let policy = allow(json!({"Principal": {"AWS": arn}}));
            assert_eq!(public(&policy), Tri::False, "{arn}");
            let verdict = analyze(&policy).broad;
            assert_eq!(verdict.value, Tri::True, "{arn}");
            assert!(
                verdict.reason.contains("(any account)"),
                "{}",
                verdict.reason
            );
        }
    }

    #[test]
    fn service_principals_are_broad_but_not_public() {
        for service in [
            json!("codebuild.amazonaws.com"),
            json!(["a.amazonaws.com", "b.amazonaws.com"]),
        ] {
            let policy = allow(json!({"Principal": {"Service": service}}));
            assert_eq!(public(&policy), Tri::False);
            let verdict = analyze(&policy).broad;
            assert_eq!(verdict.value, Tri::True);
            assert!(
                verdict.reason.contains("service principal"),
                "{}",
                verdict.reason
            );
        }
    }

    #[test]
    fn service_principal_pinned_by_source_account_is_not_broad() {
        let mut policy = condition("StringEquals", "aws:SourceAccount", json!("123456789012"));
        policy["Principal"] = json!({"Service": "codebuild.amazonaws.com"});
        assert_eq!(broad(&allow(policy)), Tri::False);
    }

    #[test]
    fn federated_provider_by_host_name_is_broad() {
        let policy = allow(json!({"Principal": {"Federated": "accounts.google.com"}}));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::True);
    }

    #[test]
    fn not_principal_with_allow_is_public_and_broad() {
        let policy = allow(json!({
            "Principal": null,
            "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"},
        }));
        let analysis = analyze(&policy);
        assert_eq!(analysis.public.value, Tri::True);
        assert!(analysis.public.reason.contains("every principal except"));
        assert_eq!(analysis.broad.value, Tri::True);
    }

    #[test]
    fn not_principal_star_excludes_everyone() {
        let policy = allow(json!({"Principal": null, "NotPrincipal": {"AWS": "*"}}));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::False);
    }

    // ---- statement shapes ----------------------------------------------------------

    #[test]
    fn statement_may_be_a_single_object() {
        let policy = doc(json!({"Statement": {
            "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"
        }}));
        let analysis = analyze(&policy);
        assert_eq!(analysis.statement_count, 1);
        assert_eq!(analysis.public.value, Tri::True);
        assert_eq!(analysis.public.statement, Some(0));
    }

    #[test]
    fn the_deciding_statement_of_a_list_is_reported() {
        let policy = doc(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "ecr:*"},
            {"Sid": "Pull", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"},
        ]}));
        let analysis = analyze(&policy);
        assert_eq!(analysis.statement_count, 2);
        assert_eq!(analysis.public.statement, Some(1));
        assert_eq!(analysis.broad.statement, Some(1));
    }

    #[test]
    fn an_empty_statement_list_grants_nothing() {
        let analysis = analyze(&doc(json!({"Statement": []})));
        assert_eq!(analysis.statement_count, 0);
        assert_eq!(analysis.public.value, Tri::False);
        assert_eq!(analysis.broad.value, Tri::False);
    }

    #[test]
    fn null_fields_are_treated_as_absent() {
        // Terraform's jsonencode of an object with an unset optional attribute.
        let policy = allow(json!({"Condition": null, "Sid": null}));
        assert_eq!(public(&policy), Tri::True);
        let policy = doc(json!({"Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "ecr:*", "Condition": null
        }]}));
        assert_eq!(public(&policy), Tri::True);
    }

    // ---- actions -------------------------------------------------------------------

    #[test]
    fn wildcard_actions_grant_the_sensitive_actions() {
        let all = vec![
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:PutImage",
        ];
        for (action, expected) in [
            (json!("ecr:*"), all.clone()),
            (json!("*"), all.clone()),
            (json!("ecr:Batch*"), vec!["ecr:BatchGetImage"]),
            (json!("ECR:batchgetimage"), vec!["ecr:BatchGetImage"]),
            (
                json!(["ecr:PutImage", "ecr:Get*"]),
                vec!["ecr:GetDownloadUrlForLayer", "ecr:PutImage"],
            ),
        ] {
            let verdict = analyze(&allow(json!({"Action": action.clone()}))).broad;
            assert_eq!(verdict.value, Tri::True, "{action}");
            assert_eq!(verdict.actions, expected, "{action}");
        }
    }

    #[test]
    fn other_actions_are_public_but_not_broad() {
        let policy = allow(json!({"Action": ["ecr:DescribeRepositories", "ecr:ListImages"]}));
        assert_eq!(public(&policy), Tri::True);
        assert_eq!(broad(&policy), Tri::False);
    }

    #[test]
    fn not_action_excluding_the_sensitive_actions_is_not_broad() {
        for excluded in [
            json!("ecr:*"),
            json!([
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:PutImage"
            ]),
            json!(["ecr:Batch*", "ecr:Get*", "ECR:PUTIMAGE"]),
        ] {
            let policy = allow(json!({"Action": null, "NotAction": excluded.clone()}));
            assert_eq!(broad(&policy), Tri::False, "{excluded}");
            // It still grants every other action to everyone.
            assert_eq!(public(&policy), Tri::True, "{excluded}");
        }
    }

    #[test]
    fn not_action_that_misses_sensitive_actions_grants_them() {
        let policy = allow(json!({"Action": null, "NotAction": "ecr:PutImage"}));
        let verdict = analyze(&policy).broad;
        assert_eq!(verdict.value, Tri::True);
        assert_eq!(
            verdict.actions,
            vec!["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        );
        let policy = allow(json!({"Action": null, "NotAction": ["iam:*", "s3:*"]}));
        assert_eq!(analyze(&policy).broad.actions.len(), 3);
    }

    #[test]
    fn not_action_star_grants_nothing() {
        let policy = allow(json!({"Action": null, "NotAction": "*"}));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::False);
    }

    #[test]
    fn an_empty_action_list_grants_nothing() {
        let policy = allow(json!({"Action": []}));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::False);
    }

    // ---- conditions ----------------------------------------------------------------

    const ALL_RESTRICTING_KEYS: [(&str, &str); 13] = [
        ("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        (
            "aws:PrincipalOrgPaths",
            "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
        ),
        ("aws:PrincipalAccount", "123456789012"),
        ("aws:PrincipalArn", "arn:aws:iam::123456789012:role/ci"),
        ("aws:SourceAccount", "123456789012"),
        (
            "aws:SourceArn",
            "arn:aws:codebuild:us-east-1:123456789012:project/p",
        ),
        ("aws:SourceOrgID", "o-a1b2c3d4e5"),
        ("aws:SourceOrgPaths", "o-a1b2c3d4e5/r-ab12/"),
        ("aws:SourceOwner", "123456789012"),
        ("aws:SourceVpc", "vpc-1a2b3c4d"),
        ("aws:SourceVpce", "vpce-1a2b3c4d"),
        ("aws:SourceIp", "203.0.113.0/24"),
        ("aws:userid", "AIDAEXAMPLEID"),
    ];

    /// Keys that pin the account or organization, as opposed to the network or identity.
    const PINS_ACCOUNT: [&str; 8] = [
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
    ];

    #[test]
    fn every_restricting_key_makes_a_wildcard_principal_not_public() {
        for (key, value) in ALL_RESTRICTING_KEYS {
            let policy = allow(condition("StringEquals", key, json!(value)));
            assert_eq!(public(&policy), Tri::False, "{key}");
            let pins_account = PINS_ACCOUNT.contains(&key);
            let expected = if pins_account { Tri::False } else { Tri::True };
            assert_eq!(broad(&policy), expected, "{key}");
        }
    }

    #[test]
    fn restricting_operators_restrict() {
        for (operator, key, value) in [
            ("StringEquals", "aws:PrincipalOrgID", json!("o-a1b2c3d4e5")),
            (
                "StringEqualsIgnoreCase",
                "aws:PrincipalOrgID",
                json!("o-a1b2c3d4e5"),
            ),
            ("StringLike", "aws:PrincipalOrgID", json!("o-a1b2c3d4e5")),
            (
                "ArnEquals",
                "aws:PrincipalArn",
                json!("arn:aws:iam::123456789012:role/ci"),
            ),
            (
                "ArnLike",
                "aws:PrincipalArn",
                json!("arn:aws:iam::123456789012:role/ci"),
            ),
            (
                "IpAddress",
                "aws:SourceIp",
                json!(["203.0.113.0/24", "198.51.100.7/32"]),
            ),
            (
                "ForAnyValue:StringEquals",
                "aws:PrincipalOrgID",
                json!(["o-1", "o-2"]),
            ),
            (
                "ForAllValues:StringLike",
                "aws:PrincipalOrgPaths",
                json!(["o-1/r-1/"]),
            ),
        ] {
            let policy = allow(condition(operator, key, value));
            assert_eq!(public(&policy), Tri::False, "{operator} {key}");
        }
    }

    #[test]
    fn condition_keys_and_operators_ignore_case() {
        let policy = allow(condition(
            "stringequals",
            "AWS:PRINCIPALORGID",
            json!("o-1"),
        ));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::False);
    }

    #[test]
    fn non_restricting_conditions_leave_the_statement_public() {
        for (operator, key, value) in [
            (
                "StringNotEquals",
                "aws:PrincipalOrgID",
                json!("o-a1b2c3d4e5"),
            ),
            (
                "StringNotLike",
                "aws:PrincipalAccount",
                json!("123456789012"),
            ),
            (
                "ArnNotEquals",
                "aws:PrincipalArn",
                json!("arn:aws:iam::123456789012:root"),
            ),
            ("NotIpAddress", "aws:SourceIp", json!("203.0.113.0/24")),
            ("Null", "aws:PrincipalOrgID", json!("false")),
            ("Bool", "aws:SecureTransport", json!(true)),
            ("StringLike", "aws:PrincipalOrgID", json!("o-*")),
            (
                "StringLike",
                "aws:PrincipalAccount",
                json!(["123456789012", "1234567890??"]),
            ),
            (
                "StringEquals",
                "aws:PrincipalAccount",
                json!("${aws:PrincipalAccount}"),
            ),
            ("StringEquals", "aws:userid", json!("${aws:userid}")),
            (
                "StringEqualsIfExists",
                "aws:PrincipalOrgID",
                json!("o-a1b2c3d4e5"),
            ),
            (
                "ForAnyValue:StringEqualsIfExists",
                "aws:PrincipalOrgID",
                json!("o-1"),
            ),
            (
                "ArnLikeIfExists",
                "aws:PrincipalArn",
                json!("arn:aws:iam::123456789012:root"),
            ),
            ("StringEquals", "aws:username", json!("alice")),
            ("StringEquals", "aws:PrincipalTag/team", json!("platform")),
            ("IpAddress", "aws:SourceIp", json!("0.0.0.0/0")),
            (
                "ArnLike",
                "aws:PrincipalArn",
                json!("arn:aws:iam::*:role/ci"),
            ),
            ("StringLike", "aws:PrincipalOrgPaths", json!("o-*/r-ab12/")),
            // A string wildcard before the account may stand for any account.
            (
                "StringLike",
                "aws:SourceArn",
                json!("arn:aws:codebuild:*:123456789012:p/*"),
            ),
            ("StringEquals", "aws:PrincipalOrgID", json!([])),
        ] {
            let policy = allow(condition(operator, key, value.clone()));
            let verdict = analyze(&policy).public;
            assert_eq!(verdict.value, Tri::True, "{operator} {key} {value}");
            assert!(verdict.reason.contains(key), "{}", verdict.reason);
            assert_eq!(broad(&policy), Tri::True, "{operator} {key} {value}");
        }
    }

    #[test]
    fn wildcards_after_the_pinned_account_or_organization_still_pin() {
        for (operator, key, value) in [
            (
                "ArnLike",
                "aws:PrincipalArn",
                "arn:aws:iam::123456789012:role/*",
            ),
            (
                "ArnLike",
                "aws:SourceArn",
                "arn:aws:codebuild:*:123456789012:project/*",
            ),
            (
                "StringLike",
                "aws:PrincipalArn",
                "arn:aws:iam::123456789012:user/${aws:username}",
            ),
            (
                "ForAnyValue:StringLike",
                "aws:PrincipalOrgPaths",
                "o-a1b2c3d4e5/r-ab12/*",
            ),
            ("StringLike", "aws:userid", "AROAEXAMPLEID:*"),
        ] {
            let policy = allow(condition(operator, key, json!(value)));
            assert_eq!(public(&policy), Tri::False, "{value}");
            let expected = if key == "aws:userid" {
                Tri::True
            } else {
                Tri::False
            };
            assert_eq!(broad(&policy), expected, "{value}");
        }
    }

    #[test]
    fn a_source_arn_without_account_must_be_literal() {
        let bucket = allow(condition(
            "ArnEquals",
            "aws:SourceArn",
            json!("arn:aws:s3:::my-bucket"),
        ));
        assert_eq!(public(&bucket), Tri::False);
        assert_eq!(broad(&bucket), Tri::False);
        for operator in ["ArnLike", "StringLike"] {
            let any_bucket = allow(condition(
                operator,
                "aws:SourceArn",
                json!("arn:aws:s3:::*"),
            ));
            assert_eq!(public(&any_bucket), Tri::True, "{operator}");
            assert_eq!(broad(&any_bucket), Tri::True, "{operator}");
        }
    }

    #[test]
    fn org_id_condition_makes_a_wildcard_principal_neither_public_nor_broad() {
        let policy = allow(json!({
            "Action": "ecr:*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        }));
        let analysis = analyze(&policy);
        assert_eq!(analysis.public.value, Tri::False);
        assert_eq!(analysis.broad.value, Tri::False);
        assert_eq!(analysis.public.statement, None);
    }

    #[test]
    fn network_conditions_restrict_but_do_not_pin_the_account() {
        let policy = allow(condition("StringEquals", "aws:SourceVpce", json!("vpce-1")));
        assert_eq!(public(&policy), Tri::False);
        let verdict = analyze(&policy).broad;
        assert_eq!(verdict.value, Tri::True);
        assert!(
            verdict.reason.contains("aws:SourceVpce does not pin"),
            "{}",
            verdict.reason
        );
    }

    #[test]
    fn one_pinning_clause_restricts_alongside_others() {
        let policy = allow(json!({"Condition": {
            "Bool": {"aws:SecureTransport": "true"},
            "StringEquals": {"aws:PrincipalOrgID": "o-1", "aws:username": "x"},
        }}));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::False);
    }

    #[test]
    fn a_wildcard_among_several_values_does_not_pin() {
        let policy = allow(condition(
            "StringLike",
            "aws:PrincipalOrgID",
            json!(["o-1", "*"]),
        ));
        assert_eq!(public(&policy), Tri::True);
    }

    // ---- effect --------------------------------------------------------------------

    #[test]
    fn deny_statements_never_count() {
        let policy = doc(json!({"Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "*"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": "123456789012"}, "Action": "ecr:*"},
            {"Effect": "Deny", "Principal": {"Service": "x.amazonaws.com"}, "Action": "ecr:*"},
            {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "ecr:*"},
        ]}));
        let analysis = analyze(&policy);
        assert_eq!(analysis.public.value, Tri::False);
        assert_eq!(analysis.broad.value, Tri::False);
        assert!(!analysis.public.reason.is_empty());
    }

    // ---- unknown values ------------------------------------------------------------

    #[test]
    fn an_unknown_principal_is_inconclusive() {
        let policy = allow(json!({"Principal": {"AWS": UNKNOWN}}));
        let analysis = analyze(&policy);
        for verdict in [&analysis.public, &analysis.broad] {
            assert_eq!(verdict.value, Tri::Unknown);
            assert_eq!(verdict.statement, Some(0));
            assert!(
                verdict.reason.contains(UNKNOWN_REASON),
                "{}",
                verdict.reason
            );
            assert!(verdict.reason.contains("statement 0"), "{}", verdict.reason);
        }
        let whole = allow(json!({"Principal": UNKNOWN}));
        assert_eq!(public(&whole), Tri::Unknown);
    }

    #[test]
    fn an_own_account_unknown_principal_is_specific() {
        for principal in [json!({"AWS": OWN_ACCOUNT}), json!(OWN_ACCOUNT)] {
            let policy = allow(json!({"Principal": principal, "Action": "ecr:*"}));
            assert_eq!(public(&policy), Tri::False);
            assert_eq!(broad(&policy), Tri::False);
        }
    }

    #[test]
    fn a_known_wildcard_beside_an_unknown_principal_is_public() {
        let policy = allow(json!({"Principal": {"AWS": [UNKNOWN, "*"]}}));
        assert_eq!(public(&policy), Tri::True);
        assert_eq!(broad(&policy), Tri::True);
    }

    #[test]
    fn an_unknown_service_principal_is_still_broad() {
        let policy = allow(json!({"Principal": {"Service": UNKNOWN}}));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::True);
    }

    #[test]
    fn an_unknown_value_under_a_restricting_key_is_fixed() {
        for value in [json!(UNKNOWN), json!([UNKNOWN, "o-2"])] {
            let policy = allow(condition("StringEquals", "aws:PrincipalOrgID", value));
            assert_eq!(public(&policy), Tri::False);
            assert_eq!(broad(&policy), Tri::False);
        }
    }

    #[test]
    fn an_unknown_condition_is_inconclusive() {
        let whole = allow(json!({"Condition": UNKNOWN}));
        assert_eq!(public(&whole), Tri::Unknown);
        assert_eq!(broad(&whole), Tri::Unknown);
        let operator = allow(json!({"Condition": {"StringEquals": UNKNOWN}}));
        let verdict = analyze(&operator).public;
        assert_eq!(verdict.value, Tri::Unknown);
        assert!(
            verdict.reason.contains("StringEquals"),
            "{}",
            verdict.reason
        );
        // A clause that pins settles it whatever the unknown one says.
        let pinned = allow(json!({"Condition": {
            "StringEquals": {"aws:PrincipalOrgID": "o-1"},
            "StringLike": UNKNOWN,
        }}));
        assert_eq!(public(&pinned), Tri::False);
    }

    #[test]
    fn an_unknown_condition_does_not_matter_for_a_specific_principal() {
        let policy = allow(json!({"Principal": {"AWS": "123456789012"}, "Condition": UNKNOWN}));
        assert_eq!(public(&policy), Tri::False);
        assert_eq!(broad(&policy), Tri::False);
    }

    #[test]
    fn an_unknown_effect_matters_only_where_it_could_decide() {
        let wildcard = allow(json!({"Effect": UNKNOWN}));
        assert_eq!(public(&wildcard), Tri::Unknown);
        assert!(analyze(&wildcard).public.reason.contains("Effect"));
        let specific = allow(json!({"Effect": UNKNOWN, "Principal": {"AWS": "123456789012"}}));
        assert_eq!(public(&specific), Tri::False);
        assert_eq!(broad(&specific), Tri::False);
    }

    #[test]
    fn an_unknown_action_leaves_public_decided_and_broad_unknown() {
        let policy = allow(json!({"Action": UNKNOWN}));
        assert_eq!(public(&policy), Tri::True);
        assert_eq!(broad(&policy), Tri::Unknown);
        let with_known = allow(json!({"Action": [UNKNOWN, "ecr:PutImage"]}));
        assert_eq!(broad(&with_known), Tri::True);
        let not_action = allow(json!({"Action": null, "NotAction": [UNKNOWN]}));
        assert_eq!(broad(&not_action), Tri::Unknown);
        assert_eq!(public(&not_action), Tri::Unknown);
        let excluded = allow(json!({"Action": null, "NotAction": [UNKNOWN, "ecr:*"]}));
        assert_eq!(broad(&excluded), Tri::False);
    }

    #[test]
    fn a_definitely_public_statement_wins_over_unknown_ones() {
        let policy = doc(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": UNKNOWN}, "Action": "ecr:*"},
            UNKNOWN,
            {"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"},
        ]}));
        let analysis = analyze(&policy);
        assert_eq!(analysis.public.value, Tri::True);
        assert_eq!(analysis.public.statement, Some(2));
        assert_eq!(analysis.statement_count, 3);
    }

    #[test]
    fn an_unknown_statement_without_a_public_one_is_inconclusive() {
        let policy = doc(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "ecr:*"},
            UNKNOWN,
        ]}));
        let verdict = analyze(&policy).public;
        assert_eq!(verdict.value, Tri::Unknown);
        assert_eq!(verdict.statement, Some(1));
        assert!(
            verdict.reason.contains(UNKNOWN_REASON),
            "{}",
            verdict.reason
        );
    }

    #[test]
    fn a_wholly_unknown_document_is_inconclusive() {
        for policy in [doc(json!(UNKNOWN)), doc(json!({"Statement": UNKNOWN}))] {
            let analysis = analyze(&policy);
            assert_eq!(analysis.public.value, Tri::Unknown);
            assert_eq!(analysis.broad.value, Tri::Unknown);
            assert!(analysis.public.reason.contains(UNKNOWN_REASON));
            assert_eq!(analysis.public.statement, None);
        }
    }

    // ---- malformed documents -------------------------------------------------------

    #[test]
    fn malformed_documents_are_inconclusive_with_a_reason() {
        let statement = |changes: serde_json::Value| -> Value { allow(changes) };
        let cases: Vec<(Value, &str)> = vec![
            (doc(json!(["not", "an", "object"])), "must be a JSON object"),
            (doc(json!(42)), "must be a JSON object"),
            (Value::Null, "must be a JSON object"),
            (doc(json!({"Version": "2012-10-17"})), "no Statement"),
            (
                doc(json!({"Statement": 5})),
                "Statement must be an object or a list",
            ),
            (
                doc(json!({"Statement": [5]})),
                "statement 0 must be an object",
            ),
            (
                statement(json!({"Principal": 5})),
                "Principal that must be \"*\"",
            ),
            (
                statement(json!({"Principal": "123456789012"})),
                "Principal that must be",
            ),
            (
                statement(json!({"Principal": {"Account": "1"}})),
                "principal type \"Account\"",
            ),
            (
                statement(json!({"Principal": {"AWS": [["*"]]}})),
                "under \"AWS\"",
            ),
            (
                statement(json!({"Principal": {"AWS": true}})),
                "under \"AWS\"",
            ),
            (statement(json!({"Principal": null})), "has no Principal"),
            (
                statement(json!({"NotPrincipal": {"AWS": "1"}})),
                "both Principal and NotPrincipal",
            ),
            (statement(json!({"Action": 5})), "Action must be a string"),
            (statement(json!({"Action": null})), "has no Action"),
            (
                statement(json!({"NotAction": "s3:*"})),
                "both Action and NotAction",
            ),
            (
                statement(json!({"Effect": "Maybe"})),
                "Effect string \"Maybe\"",
            ),
            (statement(json!({"Effect": null})), "has no Effect"),
            (
                statement(json!({"Condition": ["x"]})),
                "Condition that must be an object",
            ),
            (
                statement(json!({"Condition": {"StringEquals": "x"}})),
                "must map keys to values",
            ),
            (
                statement(json!({"Condition": {"StringEquals": {"aws:SourceAccount": {"a": 1}}}})),
                "Condition value for StringEquals aws:SourceAccount",
            ),
        ];
        for (policy, expected) in cases {
            let analysis = analyze(&policy);
            for verdict in [&analysis.public, &analysis.broad] {
                assert_eq!(verdict.value, Tri::Unknown, "{policy}");
                assert!(verdict.reason.contains(expected), "{}", verdict.reason);
            }
        }
    }

    #[test]
    fn a_malformed_statement_makes_the_whole_policy_inconclusive() {
        // AWS rejects the whole document, so the public statement beside it never applies.
        let policy = doc(json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "ecr:*"},
            {"Effect": "Allow", "Principal": 7, "Action": "ecr:*"},
        ]}));
        let analysis = analyze(&policy);
        assert_eq!(analysis.public.value, Tri::Unknown);
        assert_eq!(analysis.public.statement, Some(1));
        assert_eq!(analysis.broad.value, Tri::Unknown);
        assert_eq!(analysis.statement_count, 2);
    }

    #[test]
    fn odd_values_in_any_field_never_panic() {
        let odd = [
            json!(null),
            json!(true),
            json!(-1.5),
            json!(""),
            json!("*"),
            json!([]),
            json!([null]),
            json!([[]]),
            json!({}),
            json!({"": []}),
            json!(UNKNOWN),
            json!(OWN_ACCOUNT),
        ];
        let fields = [
            "Sid",
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Condition",
        ];
        for field in fields {
            for value in &odd {
                let analysis = analyze(&allow(json!({ field: value.clone() })));
                assert!(!analysis.public.reason.is_empty(), "{field} = {value}");
                assert!(!analysis.broad.reason.is_empty(), "{field} = {value}");
            }
        }
        for value in &odd {
            analyze(&doc(json!({"Statement": value.clone()})));
            analyze(&doc(value.clone()));
            analyze(&allow(
                json!({"Condition": {"StringEquals": {"aws:PrincipalArn": value.clone()}}}),
            ));
        }
    }

    // ---- messages ------------------------------------------------------------------

    #[test]
    fn the_public_reason_names_principal_actions_and_missing_condition() {
        let policy = doc(json!({"Statement": [{
            "Sid": "Public",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        }]}));
        let analysis = analyze(&policy);
        assert_eq!(
            analysis.public.reason,
            "statement 0 (Sid \"Public\") allows principal \"*\" ecr:BatchGetImage, \
             ecr:GetDownloadUrlForLayer with no condition that pins the caller's account or \
             organization"
        );
        assert_eq!(
            analysis.broad.actions,
            vec!["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        );
    }

    #[test]
    fn the_reason_explains_why_a_condition_does_not_restrict() {
        let policy = allow(condition(
            "StringNotEquals",
            "aws:PrincipalAccount",
            json!("1"),
        ));
        let reason = analyze(&policy).public.reason;
        assert!(
            reason.contains("StringNotEquals on aws:PrincipalAccount is negated"),
            "{reason}"
        );
        let policy = allow(condition("StringLike", "aws:PrincipalOrgID", json!("o-*")));
        let reason = analyze(&policy).public.reason;
        assert!(reason.contains("\"o-*\" has a wildcard"), "{reason}");
        let policy = allow(condition(
            "StringEqualsIfExists",
            "aws:SourceAccount",
            json!("1"),
        ));
        let reason = analyze(&policy).broad.reason;
        assert!(reason.contains("passes when the key is absent"), "{reason}");
    }

    #[test]
    fn the_broad_reason_names_the_principal_and_sensitive_actions() {
        let policy = allow(json!({"Principal": {"AWS": "arn:aws:iam::*:root"}, "Action": "ecr:*"}));
        let verdict = analyze(&policy).broad;
        assert_eq!(
            verdict.reason,
            "statement 0 (Sid \"S\") allows principal \"arn:aws:iam::*:root\" (any account) \
             ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:PutImage with no condition \
             that pins the caller's account or organization"
        );
    }

    #[test]
    fn false_verdicts_explain_themselves() {
        let analysis = analyze(&allow(json!({"Principal": {"AWS": "123456789012"}})));
        assert!(analysis.public.reason.starts_with("no Allow statement"));
        assert!(analysis.broad.reason.contains("ecr:PutImage"));
        assert_eq!(analysis.public.statement, None);
        assert!(analysis.broad.actions.is_empty());
    }
}
