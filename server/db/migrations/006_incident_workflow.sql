-- The incident loop: categories with a default department and per-step time limits, the event
-- history of every incident, Open311 (12345 hotline) clients and the contact details they send.
-- No foreign keys to seeded tables (departments, grids, workers, regions): the demo seed empties
-- those with TRUNCATE … CASCADE, which would also empty every table that references them.

-- Categories (the seed's 20) → default department (departments.code), default priority and the
-- time limit of each step in hours at priority 3 (server/domain/sla.ts scales them by priority).
-- `code` is also the Open311 service_code; `attributes` are its Open311 attribute definitions.
CREATE TABLE incident_categories (
  code             text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
  name             text NOT NULL UNIQUE,
  group_name       text NOT NULL,
  description      text NOT NULL,
  department_code  text NOT NULL,
  default_priority smallint NOT NULL CHECK (default_priority BETWEEN 1 AND 4),
  -- 受理 accept, 派遣 dispatch, 开始处置 start, 办结 resolve, 评价/结案 close
  sla_accept_h     real NOT NULL CHECK (sla_accept_h > 0),
  sla_dispatch_h   real NOT NULL CHECK (sla_dispatch_h > 0),
  sla_start_h      real NOT NULL CHECK (sla_start_h > 0),
  sla_resolve_h    real NOT NULL CHECK (sla_resolve_h > 0),
  sla_close_h      real NOT NULL CHECK (sla_close_h > 0),
  attributes       jsonb NOT NULL DEFAULT '[]',
  active           boolean NOT NULL DEFAULT true,
  sort             smallint NOT NULL
);

INSERT INTO incident_categories (sort, code, name, group_name, description, department_code, default_priority, sla_accept_h, sla_dispatch_h, sla_start_h, sla_resolve_h, sla_close_h, attributes) VALUES
 (1,  'C01', '环境卫生',     '城市管理', '垃圾满溢、清运不及时、公厕卫生、污水外溢', 'D02', 3, 2,   4, 8,  24,  72, '[]'),
 (2,  'C02', '占道经营',     '城市管理', '流动摊贩、出店经营、占用道路', 'D02', 3, 2,   4, 4,  24,  72, '[]'),
 (3,  'C03', '违章搭建',     '城市管理', '私搭乱建、违法加盖', 'D02', 3, 4,   8, 24, 120, 72, '[]'),
 (4,  'C04', '道路破损',     '市政交通', '路面坑槽、塌陷、人行道破损', 'D06', 3, 2,   4, 24, 120, 72, '[]'),
 (5,  'C05', '市政设施损坏', '市政交通', '井盖、路灯、护栏、信号灯损坏', 'D52', 3, 2,   4, 12, 72,  72, '[]'),
 (6,  'C06', '矛盾纠纷',     '平安法治', '邻里、土地、劳资等矛盾纠纷', 'D15', 3, 2,   8, 24, 168, 72, '[]'),
 (7,  'C07', '安全隐患',     '安全生产', '危房、广告牌、沟渠、工地等安全隐患', 'D11', 3, 1,   2, 4,  48,  72, '[]'),
 (8,  'C08', '消防隐患',     '安全生产', '堵塞消防通道、楼道充电、私拉电线', 'D30', 3, 1,   2, 4,  24,  72, '[]'),
 (9,  'C09', '噪音扰民',     '生态环境', '施工、广场舞、商业、娱乐场所噪音', 'D04', 3, 1,   2, 4,  24,  72,
   '[{"code":"noise_time","datatype":"singlevaluelist","required":false,"description":"噪音发生时段","values":[{"key":"day","name":"白天"},{"key":"night","name":"夜间（22:00–6:00）"}]}]'),
 (10, 'C10', '乱堆乱放',     '城市管理', '建筑垃圾、杂物、共享单车乱堆乱放', 'D02', 3, 2,   4, 8,  48,  72, '[]'),
 (11, 'C11', '违法广告',     '城市管理', '小广告、未审批户外广告', 'D02', 3, 4,   8, 24, 72,  72, '[]'),
 (12, 'C12', '园林绿化',     '市政交通', '树木、绿化带、草坪养护', 'D53', 3, 4,   8, 24, 120, 72, '[]'),
 (13, 'C13', '供水供电',     '公共服务', '停水、漏水、停电、电线垂落', 'D57', 3, 1,   2, 4,  24,  72,
   '[{"code":"utility","datatype":"singlevaluelist","required":true,"description":"类别","values":[{"key":"water","name":"供水"},{"key":"power","name":"供电"},{"key":"gas","name":"燃气"}]}]'),
 (14, 'C14', '农村人居环境', '乡村振兴', '河塘、杂草、畜禽粪便、农药包装废弃物', 'D13', 3, 4,   8, 24, 72,  72, '[]'),
 (15, 'C15', '秸秆焚烧',     '生态环境', '田间焚烧秸秆、火点', 'D04', 2, 0.5, 1, 1,  4,   72, '[]'),
 (16, 'C16', '防汛',         '安全生产', '积水、堤坝渗水、民房进水、排涝', 'D07', 2, 0.5, 1, 1,  12,  72, '[]'),
 (17, 'C17', '食品安全',     '公共服务', '餐饮卫生、过期食品、三无食品', 'D05', 3, 2,   4, 12, 72,  72, '[]'),
 (18, 'C18', '治安隐患',     '平安法治', '可疑人员、盗窃、出租屋、照明不足', 'D01', 3, 1,   2, 4,  24,  72, '[]'),
 (19, 'C19', '民生诉求',     '公共服务', '社会救助、住房、就业、教育、医保、交通等诉求', 'D10', 3, 4,   8, 24, 240, 72, '[]'),
 (20, 'C20', '政策咨询',     '公共服务', '社保、医保、农业、民政、户籍等政策咨询', 'D14', 4, 4,   8, 24, 120, 72, '[]');

-- Workflow state on the incident itself (cheap to add: constant defaults, no table rewrite).
ALTER TABLE incidents
  -- who holds it now: 村/社区 village → 镇/街道 township → 县级部门 county
  ADD COLUMN level              text NOT NULL DEFAULT 'village' CHECK (level IN ('village', 'township', 'county')),
  ADD COLUMN assigned_worker_id integer,
  ADD COLUMN photo_url          text,
  ADD COLUMN resolved_on_site   boolean NOT NULL DEFAULT false,
  ADD COLUMN duplicate_of       bigint REFERENCES incidents(id) ON DELETE SET NULL,
  ADD COLUMN rating_comment     text,
  ADD COLUMN rated_at           timestamptz,
  ADD COLUMN started_at         timestamptz,
  ADD COLUMN return_count       smallint NOT NULL DEFAULT 0,
  ADD COLUMN escalation_count   smallint NOT NULL DEFAULT 0,
  ADD COLUMN attributes         jsonb,
  ADD COLUMN updated_at         timestamptz;
-- Likely duplicates: same category, near, recent.
CREATE INDEX incidents_category_reported_idx ON incidents (category, reported_at);

-- Every transition: who, when, from → to, a note and the action's data (department, rating, ...).
CREATE TABLE incident_events (
  incident_id   bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  seq           integer NOT NULL,
  from_status   text,
  to_status     text NOT NULL,
  action        text NOT NULL,
  -- user / open311 / device / system
  actor_kind    text NOT NULL,
  actor_user_id integer REFERENCES users(id),
  actor_name    text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  note          text,
  data          jsonb,
  PRIMARY KEY (incident_id, seq)
);
CREATE INDEX incident_events_at_idx ON incident_events (at);

-- Connected systems speaking Open311 GeoReport v2 (the 12345 hotline): one API key each, only its
-- SHA-256 stored. Seeded with nothing; an administrator adds them.
CREATE TABLE open311_clients (
  id          serial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  key_hash    bytea NOT NULL UNIQUE,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Contact details a citizen gave (never returned by the API; masking by role comes later).
CREATE TABLE incident_contacts (
  incident_id bigint PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  client_id   integer REFERENCES open311_clients(id),
  first_name  text,
  last_name   text,
  email       text,
  phone       text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
