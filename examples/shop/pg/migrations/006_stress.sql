-- The isolation stress's marker (examples/shop/pg/stress): each test writes its own row and must see no other.
-- In the schema, not created by the tests, so a reset (recycle: 'reset') can put it back; no key, on purpose.
CREATE TABLE stress_marker (file integer, n integer, pid integer);
