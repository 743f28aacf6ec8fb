resource "aws_db_instance" "orders_db" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  publicly_accessible     = var.db_public
  storage_encrypted       = var.encrypt_storage
  backup_retention_period = 14
  deletion_protection     = true
}

resource "aws_db_instance" "reports_db" {
  identifier              = "reports"
  engine                  = "mysql"
  instance_class          = "db.t3.micro"
  storage_encrypted       = false
  backup_retention_period = 1
  deletion_protection     = true
}

# Never created (count = 0): its settings are not findings.
resource "aws_db_instance" "legacy_replica" {
  count                   = var.create_replica ? 1 : 0
  identifier              = "legacy"
  engine                  = "mysql"
  instance_class          = "db.t3.micro"
  publicly_accessible     = true
  storage_encrypted       = false
  backup_retention_period = 0
}
