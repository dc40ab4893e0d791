//! Our admin schema uses Coral's names and types: every type, field,
//! argument (with its default) and enum value we expose is in Coral's
//! schema with the same type (the list in `fixtures/coral-admin-schema.graphql`,
//! taken from Coral's `schema.graphql`), and every mutation and query the
//! sync needs from that list is ours. The one name Coral's schema lacks is
//! `deleteUser`, the name Coral's SSO guide (seed 002) uses; it must have
//! `deleteUserAccount`'s exact signature.

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use std::collections::BTreeMap;

/// `Type.field` → `(args, type)`, args as `name: Type = default` strings;
/// enums as `ENUM.VALUE` → empty.
fn signatures(sdl: &str) -> BTreeMap<String, (Vec<String>, String)> {
    let doc = parse_schema(sdl).expect("SDL parses");
    let mut out = BTreeMap::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = t.node;
        let name = t.name.node.to_string();
        if name.starts_with("__") {
            continue;
        }
        let input = |v: &async_graphql::parser::types::InputValueDefinition| {
            let mut s = format!("{}: {}", v.name.node, v.ty.node);
            if let Some(d) = &v.default_value {
                s.push_str(&format!(" = {}", d.node));
            }
            s
        };
        match t.kind {
            TypeKind::Scalar => {
                out.insert(name, (vec![], "scalar".into()));
            }
            TypeKind::Object(o) => {
                for f in o.fields {
                    let f = f.node;
                    let args = f.arguments.iter().map(|a| input(&a.node)).collect();
                    out.insert(
                        format!("{name}.{}", f.name.node),
                        (args, f.ty.node.to_string()),
                    );
                }
            }
            TypeKind::InputObject(o) => {
                for f in o.fields {
                    out.insert(
                        format!("{name}.{}", f.node.name.node),
                        (vec![], input(&f.node)),
                    );
                }
            }
            TypeKind::Enum(e) => {
                for v in e.values {
                    out.insert(
                        format!("{name}.{}", v.node.value.node),
                        (vec![], "enum".into()),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

const BUILTIN: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

#[test]
fn every_name_we_expose_is_corals_with_the_same_type() {
    let coral = signatures(include_str!("fixtures/coral-admin-schema.graphql"));
    let ours = signatures(&stream_server::admin::graphql::schema().sdl());
    let mut checked = 0;
    for (name, (args, ty)) in &ours {
        if BUILTIN.contains(&name.as_str()) || name == "Mutation.deleteUser" {
            continue;
        }
        let Some((coral_args, coral_ty)) = coral.get(name) else {
            panic!("{name} is not in Coral's schema");
        };
        assert_eq!(ty, coral_ty, "{name}: type differs from Coral's");
        for a in args {
            assert!(
                coral_args.contains(a),
                "{name}({a}) differs from Coral's {coral_args:?}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} names compared");
    assert_eq!(
        ours.get("Mutation.deleteUser"),
        ours.get("Mutation.deleteUserAccount"),
        "deleteUser is deleteUserAccount under the seed's name"
    );
}

#[test]
fn every_operation_and_field_of_the_list_is_ours() {
    let coral = signatures(include_str!("fixtures/coral-admin-schema.graphql"));
    let ours = signatures(&stream_server::admin::graphql::schema().sdl());
    let mut missing = Vec::new();
    for name in coral.keys() {
        // Coral's User has forty fields for its own UI; a sync job reads the
        // ones we expose (checked above).
        if name.starts_with("User.") {
            continue;
        }
        if !ours.contains_key(name) {
            missing.push(name.clone());
        }
    }
    assert!(missing.is_empty(), "missing from our schema: {missing:?}");
    for needed in [
        "User.id",
        "User.username",
        "User.email",
        "User.role",
        "User.deletedAt",
    ] {
        assert!(ours.contains_key(needed), "{needed}");
    }
}
