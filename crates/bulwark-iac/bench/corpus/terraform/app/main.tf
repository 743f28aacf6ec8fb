# Calls a local module with an input that disables encryption.
module "data_volume" {
  source    = "../modules/volume"
  encrypted = false
  size      = 50
}

module "cache_volume" {
  source = "../modules/volume"
  size   = 10
}
