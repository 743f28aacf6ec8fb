# Production override that makes the orders database public.
db_public = true
