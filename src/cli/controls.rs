//! `plangate controls` and `plangate explain ID`.

use crate::controls::catalogue::{builtin, Control};

pub fn list() -> String {
    let controls = builtin();
    let width = controls.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in &controls {
        out.push_str(&format!(
            "{:<width$}  {:<8}  {}\n",
            c.id,
            c.severity.as_str(),
            c.name
        ));
    }
    out
}

fn wrap(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 88 {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

pub fn explain(control: &Control) -> String {
    let mut out = format!("{} — {}\n\n", control.id, control.name);
    out.push_str(&format!("  Severity:   {}\n", control.severity));
    out.push_str(&format!("  Type:       {}\n", control.control_type));
    out.push_str(&format!("  Domain:     {}\n", control.domain));
    out.push_str(&format!(
        "  Applies to: {}\n",
        control.applies_to.join(", ")
    ));
    if !control.compliance.is_empty() {
        out.push_str(&format!("  Compliance: {}\n", control.compliance_line()));
    }
    out.push_str("\nDescription\n");
    out.push_str(&wrap(&control.description, "  "));
    if !control.remediation.description.is_empty() {
        out.push_str("\nWhat is wrong\n");
        out.push_str(&wrap(&control.remediation.description, "  "));
    }
    out.push_str("\nRemediation\n");
    for para in control.remediation.action.lines() {
        out.push_str(&wrap(para, "  "));
    }
    out.push_str("\nUnsafe when\n");
    out.push_str(&predicate_text(&control.predicate, "  "));
    out
}

fn predicate_text(p: &crate::controls::predicate::Predicate, indent: &str) -> String {
    use crate::controls::predicate::Predicate;
    match p {
        Predicate::All { all } => {
            let mut s = format!("{indent}all of:\n");
            for c in all {
                s.push_str(&predicate_text(c, &format!("{indent}  ")));
            }
            s
        }
        Predicate::Any { any } => {
            let mut s = format!("{indent}any of:\n");
            for c in any {
                s.push_str(&predicate_text(c, &format!("{indent}  ")));
            }
            s
        }
        Predicate::Condition { field, op, value } => {
            let v = value.as_ref().map(|v| format!(" {v}")).unwrap_or_default();
            format!("{indent}{field} {}{v}\n", format!("{op:?}").to_lowercase())
        }
    }
}
