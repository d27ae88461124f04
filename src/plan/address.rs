//! Terraform addresses and references as plans write them (`module.ecr["main"].aws_ecr_repository.this[0]`,
//! `aws_kms_key.k.arn`), parsed into steps so that plangate prints them exactly as the HCL
//! path does, whatever quoting Terraform used for the keys.

use crate::hcl::eval::instance::InstanceKey;

/// One step of an address or reference: a name, or an index in brackets.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Name(String),
    Key(InstanceKey),
}

/// Splits `a.b["k"][0].c` into steps. `None` for text that is not an address.
pub fn steps(text: &str) -> Option<Vec<Step>> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let mut expect_name = true;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            let (key, next) = bracket(&chars, i + 1)?;
            out.push(Step::Key(key));
            i = next;
            expect_name = false;
        } else if c == '.' {
            if expect_name {
                return None;
            }
            expect_name = true;
            i += 1;
        } else if expect_name && (c.is_alphanumeric() || c == '_' || c == '-') {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-')
            {
                i += 1;
            }
            out.push(Step::Name(chars[start..i].iter().collect()));
            expect_name = false;
        } else {
            return None;
        }
    }
    (!out.is_empty() && !expect_name).then_some(out)
}

/// `[0]`, `["key"]` or `[*]` starting after the `[`; returns the key and the index after `]`.
fn bracket(chars: &[char], mut i: usize) -> Option<(InstanceKey, usize)> {
    match chars.get(i)? {
        '"' => {
            let mut s = String::new();
            i += 1;
            loop {
                let c = *chars.get(i)?;
                match c {
                    '"' => {
                        i += 1;
                        break;
                    }
                    '\\' => {
                        let e = *chars.get(i + 1)?;
                        i += 2;
                        match e {
                            'n' => s.push('\n'),
                            'r' => s.push('\r'),
                            't' => s.push('\t'),
                            'u' | 'U' => {
                                let len = if e == 'u' { 4 } else { 8 };
                                let hex: String = chars.get(i..i + len)?.iter().collect();
                                s.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                                i += len;
                            }
                            other => s.push(other),
                        }
                    }
                    // HCL quoting doubles the template introducers: `$${` is a literal `${`.
                    '$' | '%' if chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&'{') => {
                        s.push(c);
                        i += 2;
                    }
                    _ => {
                        s.push(c);
                        i += 1;
                    }
                }
            }
            (chars.get(i) == Some(&']')).then_some((InstanceKey::Key(s), i + 1))
        }
        '*' => (chars.get(i + 1) == Some(&']')).then_some((InstanceKey::Any, i + 2)),
        _ => {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '-')
            {
                i += 1;
            }
            let n: i64 = chars[start..i].iter().collect::<String>().parse().ok()?;
            (chars.get(i) == Some(&']')).then_some((InstanceKey::Index(n), i + 1))
        }
    }
}

/// A module instance path: `[("ecr", Key("main")), ("inner", None)]`.
pub type ModulePath = Vec<(String, InstanceKey)>;

/// The module path as the HCL path prints it: `module.ecr["main"].module.inner`.
pub fn module_path_string(path: &[(String, InstanceKey)]) -> String {
    path.iter()
        .map(|(name, key)| format!("module.{name}{}", key.suffix()))
        .collect::<Vec<_>>()
        .join(".")
}

/// Parses leading `module.NAME[KEY]` steps; returns them and the rest.
fn take_modules(steps: &[Step]) -> (ModulePath, &[Step]) {
    let mut path = Vec::new();
    let mut rest = steps;
    while let [Step::Name(m), Step::Name(name), tail @ ..] = rest {
        if m != "module" {
            break;
        }
        let (key, tail) = match tail {
            [Step::Key(k), t @ ..] => (k.clone(), t),
            t => (InstanceKey::None, t),
        };
        path.push((name.clone(), key));
        rest = tail;
    }
    (path, rest)
}

/// `module.ecr["main"]` → its path. `None` when the text is not a module address.
pub fn parse_module_address(text: &str) -> Option<ModulePath> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    let steps = steps(text)?;
    let (path, rest) = take_modules(&steps);
    rest.is_empty().then_some(path)
}

/// A resource instance address, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceAddress {
    pub module: ModulePath,
    pub data: bool,
    pub resource_type: String,
    pub name: String,
    pub key: InstanceKey,
}

impl ResourceAddress {
    /// `aws_ecr_repository.x` or `data.aws_iam_policy_document.x`: the address inside its
    /// module, without instance key, as `configuration` keys resources.
    pub fn local(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.resource_type, self.name)
        } else {
            format!("{}.{}", self.resource_type, self.name)
        }
    }

    /// The full address as the HCL path writes it.
    pub fn full(&self) -> String {
        let module = module_path_string(&self.module);
        let prefix = if module.is_empty() {
            String::new()
        } else {
            format!("{module}.")
        };
        format!("{prefix}{}{}", self.local(), self.key.suffix())
    }
}

/// Parses `module.a["x"].aws_ecr_repository.this[0]`.
pub fn parse_resource_address(text: &str) -> Option<ResourceAddress> {
    let steps = steps(text)?;
    let (module, rest) = take_modules(&steps);
    let (data, rest) = match rest {
        [Step::Name(d), tail @ ..] if d == "data" => (true, tail),
        r => (false, r),
    };
    let (resource_type, name, key) = match rest {
        [Step::Name(t), Step::Name(n)] => (t.clone(), n.clone(), InstanceKey::None),
        [Step::Name(t), Step::Name(n), Step::Key(k)] => (t.clone(), n.clone(), k.clone()),
        _ => return None,
    };
    Some(ResourceAddress {
        module,
        data,
        resource_type,
        name,
        key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip_in_the_hcl_paths_spelling() {
        let a = parse_resource_address(r#"module.ecr["main"].aws_ecr_repository.this[0]"#).unwrap();
        assert_eq!(
            a.module,
            vec![("ecr".into(), InstanceKey::Key("main".into()))]
        );
        assert_eq!(a.key, InstanceKey::Index(0));
        assert_eq!(a.full(), r#"module.ecr["main"].aws_ecr_repository.this[0]"#);
        let d = parse_resource_address("module.a.module.b.data.aws_kms_alias.k").unwrap();
        assert!(d.data);
        assert_eq!(d.full(), "module.a.module.b.data.aws_kms_alias.k");
        // HCL quoting: escapes and doubled template introducers.
        let q = parse_resource_address(r#"aws_ecr_repository.r["a\"b$${c}"]"#).unwrap();
        assert_eq!(q.key, InstanceKey::Key("a\"b${c}".into()));
        assert!(parse_resource_address("not an address").is_none());
        assert!(parse_resource_address("aws_ecr_repository").is_none());
    }

    #[test]
    fn module_addresses_and_references() {
        assert_eq!(
            parse_module_address(r#"module.a[1].module.b"#).unwrap(),
            vec![
                ("a".to_string(), InstanceKey::Index(1)),
                ("b".to_string(), InstanceKey::None)
            ]
        );
        assert_eq!(parse_module_address("").unwrap(), vec![]);
        assert_eq!(
            steps("aws_kms_key.k[0].arn").unwrap(),
            vec![
                Step::Name("aws_kms_key".into()),
                Step::Name("k".into()),
                Step::Key(InstanceKey::Index(0)),
                Step::Name("arn".into())
            ]
        );
        assert!(steps("a..b").is_none());
        assert!(steps("a.").is_none());
    }
}
