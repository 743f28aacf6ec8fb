use super::*;
use crate::input::{Limits, SourceFile};
use crate::parse::parse_all;

fn scan(files: &[(&str, &str)]) -> crate::parse::Parsed {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: p.to_string(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    parse_all(&files, &Limits::default(), &mut |_| {})
}

fn find<'a>(parsed: &'a crate::parse::Parsed, address: &str) -> &'a Resource {
    parsed
        .resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            panic!(
                "no {address} in {:?}",
                parsed
                    .resources
                    .iter()
                    .map(|r| &r.address)
                    .collect::<Vec<_>>()
            )
        })
}

#[test]
fn variables_locals_and_tfvars() {
    let parsed = scan(&[
        (
            "main.tf",
            r#"
variable "acl" { default = "private" }
variable "env" {}
locals {
  name = "logs-${var.env}"
  tags = merge({ a = "1" }, { env = var.env })
}
resource "aws_s3_bucket" "logs" {
  bucket = local.name
  acl    = var.acl
  tags   = local.tags
  other  = aws_kms_key.k.arn
}
"#,
        ),
        ("terraform.tfvars", "env = \"prod\"\n"),
        ("z.auto.tfvars", "acl = \"public-read\"\n"),
    ]);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let b = find(&parsed, "aws_s3_bucket.logs");
    assert_eq!(b.body.get("bucket").unwrap().as_str(), Some("logs-prod"));
    assert_eq!(b.body.get("acl").unwrap().as_str(), Some("public-read"));
    assert_eq!(b.body.get("acl").unwrap().span.start_line, 10);
    assert_eq!(b.body.get_path("tags.env").unwrap().as_str(), Some("prod"));
    assert_eq!(
        b.body.get("other").unwrap().value,
        Value::Unknown("aws_kms_key.k.arn".into())
    );
    assert_eq!((b.span.start_line, b.span.end_line), (8, 13));
}

#[test]
fn count_for_each_and_dynamic_blocks() {
    let parsed = scan(&[(
        "main.tf",
        r#"
variable "ports" { default = [22, 443] }
resource "aws_instance" "off" {
  count = 0
}
resource "aws_instance" "web" {
  count = 2
  name  = "web-${count.index}"
}
resource "aws_iam_user" "u" {
  for_each = toset(["alice", "bob"])
  name     = each.key
}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port = 0
  }
}
"#,
    )]);
    assert!(
        !parsed
            .resources
            .iter()
            .any(|r| r.address.starts_with("aws_instance.off"))
    );
    assert_eq!(
        find(&parsed, "aws_instance.web[1]")
            .body
            .get("name")
            .unwrap()
            .as_str(),
        Some("web-1")
    );
    assert_eq!(
        find(&parsed, "aws_iam_user.u[\"bob\"]")
            .body
            .get("name")
            .unwrap()
            .as_str(),
        Some("bob")
    );
    let sg = find(&parsed, "aws_security_group.sg");
    let ingress = sg.body.get("ingress").unwrap().as_list().unwrap();
    assert_eq!(ingress.len(), 2);
    assert_eq!(ingress[0].get("from_port").unwrap().as_f64(), Some(22.0));
    assert_eq!(sg.body.get("egress").unwrap().as_list().unwrap().len(), 1);
}

#[test]
fn local_modules_get_inputs_and_are_not_scanned_alone() {
    let parsed = scan(&[
        (
            "main.tf",
            "module \"store\" {\n  source = \"./modules/store\"\n  encrypted = false\n}\n",
        ),
        (
            "modules/store/main.tf",
            "variable \"encrypted\" { default = true }\nresource \"aws_ebs_volume\" \"v\" {\n  encrypted = var.encrypted\n}\n",
        ),
    ]);
    let addresses: Vec<_> = parsed
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(addresses, ["module.store.aws_ebs_volume.v"]);
    let v = find(&parsed, "module.store.aws_ebs_volume.v");
    assert_eq!(v.body.get("encrypted").unwrap().value, Value::Bool(false));
    assert_eq!(v.span.file, FileId(1));
}

#[test]
fn policies_in_heredocs_are_parsed() {
    let parsed = scan(&[(
        "iam.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\"}]}\nEOF\n}\nresource \"aws_iam_policy\" \"q\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"s3:*\" }] })\n}\n",
    )]);
    let p = find(&parsed, "aws_iam_policy.p");
    assert_eq!(
        p.body
            .get_path("policy.Statement")
            .unwrap()
            .as_list()
            .unwrap()[0]
            .get("Action")
            .unwrap()
            .as_str(),
        Some("*")
    );
    let q = find(&parsed, "aws_iam_policy.q");
    assert!(q.body.get_path("policy.Statement").is_some());
}

#[test]
fn parse_errors_are_reported_and_scan_continues() {
    let parsed = scan(&[
        ("bad.tf", "resource \"x\" {\n  a = \n"),
        ("good.tf", "resource \"aws_s3_bucket\" \"ok\" {}\n"),
        (
            "deep.tf",
            &format!("x = {}{}", "[".repeat(500), "]".repeat(500)),
        ),
    ]);
    assert_eq!(parsed.errors.len(), 2, "{:?}", parsed.errors);
    assert!(
        parsed
            .errors
            .iter()
            .any(|e| e.file == "bad.tf" && e.line.is_some())
    );
    assert!(
        parsed
            .resources
            .iter()
            .any(|r| r.address == "aws_s3_bucket.ok")
    );
}

#[test]
fn comment_skips_attach_to_resources() {
    let parsed = scan(&[(
        "main.tf",
        "# bulwark:skip=BLWK_AWS_001:public website\nresource \"aws_s3_bucket\" \"site\" {\n  acl = \"public-read\"\n}\nresource \"aws_s3_bucket\" \"other\" {}\n",
    )]);
    assert_eq!(find(&parsed, "aws_s3_bucket.site").skips.len(), 1);
    assert!(find(&parsed, "aws_s3_bucket.other").skips.is_empty());
}

#[test]
fn hostile_nesting_of_for_expressions_stays_bounded() {
    // 300^3 = 27M evaluations without a budget.
    let seed: Vec<String> = (0..300).map(|i| format!("v{i}")).collect();
    let text = format!(
        "locals {{\n  seed = split(\",\", \"{}\")\n  big = [for x in local.seed : [for y in local.seed : [for z in local.seed : \"${{x}}${{y}}${{z}}\"]]]\n}}\nresource \"aws_s3_bucket\" \"b\" {{\n  tags = {{ n = length(local.big) }}\n}}\n",
        seed.join(",")
    );
    let start = std::time::Instant::now();
    let parsed = scan(&[("main.tf", &text)]);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
    assert!(
        parsed
            .resources
            .iter()
            .any(|r| r.address == "aws_s3_bucket.b")
    );
    assert!(
        parsed.errors.iter().any(|e| e.message.contains("budget")),
        "{:?}",
        parsed.errors
    );
}

#[test]
fn join_dir_stays_inside() {
    assert_eq!(
        module::join_dir("envs/prod", "../../modules/x"),
        Some("modules/x".into())
    );
    assert_eq!(module::join_dir("", "../x"), None);
    assert_eq!(module::join_dir("a", "terraform-aws-modules/vpc/aws"), None);
}
