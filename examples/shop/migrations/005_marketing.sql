CREATE TABLE coupons (
  code TEXT PRIMARY KEY,
  percent_off INTEGER NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
  max_redemptions INTEGER NOT NULL,
  expires_at TEXT
);
CREATE TABLE coupon_redemptions (
  code TEXT NOT NULL REFERENCES coupons(code),
  order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id)
);
CREATE INDEX coupon_redemptions_by_code ON coupon_redemptions(code);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body TEXT NOT NULL DEFAULT '',
  UNIQUE (product_id, customer_id)
);
CREATE INDEX reviews_by_product ON reviews(product_id, rating);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_id);
CREATE TRIGGER orders_audit AFTER UPDATE OF status ON orders
BEGIN
  INSERT INTO audit_log (entity, entity_id, action) VALUES ('order', NEW.id, 'status:' || NEW.status);
END;
CREATE VIEW product_ratings AS
  SELECT product_id, COUNT(*) AS reviews, AVG(rating) AS average FROM reviews GROUP BY product_id;
