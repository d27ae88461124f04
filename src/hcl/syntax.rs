//! The configuration syntax tree plangate evaluates: one shape for `.tf` and `.tf.json`.
//!
//! Both frontends lower into these types, each node with its byte span, so the evaluator,
//! the extractor and every diagnostic work the same whichever syntax a module was written in.

use std::sync::Arc;

use crate::hcl::eval::value::Value;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Literal(Value),
    /// A quoted string with interpolations or directives, or a heredoc.
    Template(Vec<TemplatePart>),
    Tuple(Vec<Expr>),
    Object(Vec<(ObjectKey, Expr)>),
    /// A bare name: `var`, `local`, `each`, `aws_ecr_repository`, an iterator…
    Variable(String),
    Traversal {
        base: Box<Expr>,
        ops: Vec<TraversalOp>,
    },
    Call {
        name: String,
        args: Vec<Expr>,
        /// `f(list...)`: the last argument is expanded into arguments.
        expand_final: bool,
    },
    Conditional {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    For(Box<ForExpr>),
    /// Something the frontend could not turn into an expression (e.g. a `.tf.json` string
    /// whose template does not parse); evaluates to an unknown value with this reason.
    Invalid(String),
}

#[derive(Clone, Debug)]
pub enum ObjectKey {
    /// An unquoted identifier key (`name = …`): always the literal name.
    Ident(String),
    /// Any other key expression (`"name" = …`, `(var.k) = …`).
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub enum TraversalOp {
    Attr(String, Span),
    Index(Expr),
    /// `.*` — the legacy attribute-only splat.
    AttrSplat,
    /// `[*]`
    FullSplat,
}

#[derive(Clone, Debug)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    /// Present for object `for` expressions (`{for k, v in … : k => v}`).
    pub key_expr: Option<Expr>,
    pub value_expr: Expr,
    /// `...` after the value: group values with the same key into lists.
    pub grouping: bool,
    pub cond: Option<Expr>,
}

#[derive(Clone, Debug)]
pub enum TemplatePart {
    Literal(String),
    Interpolation(Expr),
    If {
        cond: Expr,
        then: Vec<TemplatePart>,
        otherwise: Vec<TemplatePart>,
    },
    For {
        key_var: Option<String>,
        value_var: String,
        collection: Expr,
        body: Vec<TemplatePart>,
    },
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: String,
    pub expr: Arc<Expr>,
    /// The whole `name = expr`.
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Body {
    pub attrs: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

#[derive(Clone, Debug)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    /// The whole block, header to closing brace.
    pub span: Span,
    /// `resource "aws_ecr_repository" "x"`: where a finding about a default points.
    pub header: Span,
}

impl Expr {
    pub fn literal(value: Value, span: Span) -> Expr {
        Expr {
            kind: ExprKind::Literal(value),
            span,
        }
    }

    /// The root name and attribute path of a plain reference (`aws_kms_key.k.arn`), ignoring
    /// index operators; `None` for anything that is not a traversal from a variable.
    pub fn reference_path(&self) -> Option<Vec<&str>> {
        match &self.kind {
            ExprKind::Variable(name) => Some(vec![name.as_str()]),
            ExprKind::Traversal { base, ops } => {
                let mut path = base.reference_path()?;
                for op in ops {
                    if let TraversalOp::Attr(name, _) = op {
                        path.push(name.as_str());
                    }
                }
                Some(path)
            }
            _ => None,
        }
    }
}
