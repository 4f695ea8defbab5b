"""A synthetic multi-region search-log world with a known ground truth.

Buyers in each region weigh price, category and shipping time differently; items are shown
in a list whose positions are examined with decreasing probability; a purchase needs an
add-to-cart, which needs a click. Because the generating probabilities are known, the
oracle ranking (by the true purchase probability) and its Weighted Recall@K are known too,
which gives every model an absolute yardstick ("% of oracle").

Everything is a pure function of (WorldConfig, date): a day's events are drawn from a
generator seeded by (seed, day ordinal), so partitions can be (re)written in any order and
come out byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from rankops_trainer.data.schema import FEATURE_SPEC_FILE, TASKS_3, CategoricalFeature, FeatureSpec


@dataclass(frozen=True)
class RegionProfile:
    """How buyers of one region decide. Values chosen so regions genuinely disagree."""

    name: str
    share: float  # fraction of requests
    price_sensitivity: float  # weight on log(price / category median)
    shipping_sensitivity: float  # logit penalty per shipping day (purchase step)
    shipping_offset_days: float  # how far this region is from the warehouses
    click_intercept: float
    cart_intercept: float
    purchase_intercept: float


DEFAULT_REGIONS: tuple[RegionProfile, ...] = (
    RegionProfile("US", 0.35, 0.5, 0.30, 1.0, -0.9, -0.9, 0.1),
    RegionProfile("NL", 0.20, 0.9, 0.08, 0.0, -1.1, -0.8, 0.3),
    RegionProfile("ES", 0.25, 1.6, 0.04, 3.0, -0.8, -1.1, 0.0),
    RegionProfile("FR", 0.20, 1.1, 0.18, 2.0, -1.0, -1.0, 0.2),
)


@dataclass(frozen=True)
class WorldConfig:
    seed: int = 7
    regions: tuple[RegionProfile, ...] = DEFAULT_REGIONS
    n_users: int = 3000
    n_items: int = 2000
    n_queries: int = 300
    n_categories: int = 20
    n_sellers: int = 200
    n_devices: int = 3
    n_user_segments: int = 6
    latent_dim: int = 8
    requests_per_day: int = 2000
    candidates_per_request: int = 20
    # Examination probability of position p (0-based) is (1 + p) ** -position_bias_power.
    position_bias_power: float = 0.8
    # Share of candidates retrieved from the query's own category.
    in_category_share: float = 0.7
    # How strongly each region's category taste varies.
    category_taste_scale: float = 0.9

    @classmethod
    def small(cls, seed: int = 7) -> "WorldConfig":
        """A world small enough for unit tests (a few thousand rows per day)."""
        return cls(seed=seed, n_users=400, n_items=300, n_queries=60, requests_per_day=150,
                   candidates_per_request=12)


@dataclass
class World:
    """The frozen population: users, items, queries and regional tastes."""

    config: WorldConfig
    region_names: tuple[str, ...]
    category_taste: np.ndarray  # [regions, categories]
    user_region: np.ndarray
    user_latent: np.ndarray
    user_price_factor: np.ndarray
    user_activity: np.ndarray
    user_device: np.ndarray
    user_segment: np.ndarray
    item_category: np.ndarray
    item_latent: np.ndarray
    item_quality: np.ndarray
    item_price: np.ndarray
    item_log_price_rel: np.ndarray
    item_discount: np.ndarray
    item_seller: np.ndarray
    item_rating: np.ndarray
    item_popularity: np.ndarray
    item_shipping_days: np.ndarray  # [items, regions]
    query_category: np.ndarray
    query_latent: np.ndarray
    items_by_category: list[np.ndarray] = field(repr=False)

    @property
    def feature_spec(self) -> FeatureSpec:
        return synthetic_feature_spec(self.config)

    def examination(self, position: np.ndarray) -> np.ndarray:
        return (1.0 + position) ** (-self.config.position_bias_power)


def build_world(config: WorldConfig = WorldConfig()) -> World:
    rng = np.random.default_rng([config.seed, 0])
    n_regions = len(config.regions)
    shares = np.array([r.share for r in config.regions], dtype=float)
    shares /= shares.sum()

    category_taste = rng.normal(0.0, config.category_taste_scale, (n_regions, config.n_categories))

    user_region = rng.choice(n_regions, size=config.n_users, p=shares)
    user_latent = rng.normal(0.0, 1.0, (config.n_users, config.latent_dim))
    user_price_factor = rng.lognormal(0.0, 0.3, config.n_users)
    user_activity = rng.lognormal(0.0, 0.8, config.n_users)
    user_device = rng.integers(0, config.n_devices, config.n_users)
    # Segments are coarse clusters of the latent taste: an observable, noisy summary of it.
    centers = rng.normal(0.0, 1.0, (config.n_user_segments, config.latent_dim))
    user_segment = np.argmax(user_latent @ centers.T, axis=1)

    item_category = rng.integers(0, config.n_categories, config.n_items)
    item_latent = rng.normal(0.0, 1.0, (config.n_items, config.latent_dim))
    item_quality = rng.normal(0.0, 1.0, config.n_items)
    category_price = rng.lognormal(3.0, 0.8, config.n_categories)
    item_price = category_price[item_category] * rng.lognormal(0.0, 0.5, config.n_items)
    item_log_price_rel = np.log(item_price / category_price[item_category])
    item_discount = np.clip(rng.beta(1.2, 6.0, config.n_items), 0.0, 0.7)
    item_seller = rng.integers(0, config.n_sellers, config.n_items)
    item_rating = np.clip(4.0 + 0.5 * item_quality + rng.normal(0.0, 0.4, config.n_items), 1.0, 5.0)
    item_popularity = 0.8 * item_quality + rng.normal(0.0, 0.6, config.n_items)
    base_days = rng.gamma(2.0, 2.0, config.n_items)
    offsets = np.array([r.shipping_offset_days for r in config.regions])
    item_shipping_days = np.round(
        base_days[:, None] + offsets[None, :] + rng.gamma(1.0, 1.0, (config.n_items, n_regions))
    ) + 1.0

    query_category = rng.integers(0, config.n_categories, config.n_queries)
    query_latent = rng.normal(0.0, 1.0, (config.n_queries, config.latent_dim))

    items_by_category = [np.flatnonzero(item_category == c) for c in range(config.n_categories)]
    # A category nobody sells in would break in-category retrieval; give it one item.
    for c, members in enumerate(items_by_category):
        if members.size == 0:
            items_by_category[c] = np.array([c % config.n_items])

    return World(
        config=config,
        region_names=tuple(r.name for r in config.regions),
        category_taste=category_taste,
        user_region=user_region,
        user_latent=user_latent,
        user_price_factor=user_price_factor,
        user_activity=user_activity,
        user_device=user_device,
        user_segment=user_segment,
        item_category=item_category,
        item_latent=item_latent,
        item_quality=item_quality,
        item_price=item_price,
        item_log_price_rel=item_log_price_rel,
        item_discount=item_discount,
        item_seller=item_seller,
        item_rating=item_rating,
        item_popularity=item_popularity,
        item_shipping_days=item_shipping_days,
        query_category=query_category,
        query_latent=query_latent,
        items_by_category=items_by_category,
    )


CATEGORICAL_COLUMNS = ("user_id", "item_id", "query_id", "category_id", "query_category_id",
                       "seller_id", "device", "user_segment", "region_code")
NUMERICAL_COLUMNS = ("log_price", "price_rel_category", "discount", "shipping_days",
                     "item_rating", "item_popularity", "text_relevance", "query_category_match",
                     "user_activity", "user_price_level", "hour_of_day")
REGION_DEPENDENT_COLUMNS = ("category_id", "price_rel_category", "discount", "shipping_days")


def synthetic_feature_spec(config: WorldConfig) -> FeatureSpec:
    cards = {
        "user_id": config.n_users,
        "item_id": config.n_items,
        "query_id": config.n_queries,
        "category_id": config.n_categories,
        "query_category_id": config.n_categories,
        "seller_id": config.n_sellers,
        "device": config.n_devices,
        "user_segment": config.n_user_segments,
        "region_code": len(config.regions),
    }
    return FeatureSpec(
        categorical=tuple(CategoricalFeature(n, cards[n]) for n in CATEGORICAL_COLUMNS),
        numerical=NUMERICAL_COLUMNS,
        region_column="region_code",
        regions=tuple(r.name for r in config.regions),
        region_dependent=REGION_DEPENDENT_COLUMNS,
        tasks=TASKS_3,
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def simulate_day(world: World, day: dt.date) -> pd.DataFrame:
    """All impressions of one day: one row per (request, candidate item)."""
    cfg = world.config
    rng = np.random.default_rng([cfg.seed, 1, day.toordinal()])
    n_req, n_cand = cfg.requests_per_day, cfg.candidates_per_request
    profiles = cfg.regions

    activity = world.user_activity / world.user_activity.sum()
    users = rng.choice(cfg.n_users, size=n_req, p=activity)
    regions = world.user_region[users]
    # Regional demand: people search more in the categories their region likes.
    query_logits = world.category_taste[:, world.query_category]  # [regions, queries]
    query_probs = np.exp(query_logits - query_logits.max(axis=1, keepdims=True))
    query_probs /= query_probs.sum(axis=1, keepdims=True)
    queries = np.array([rng.choice(cfg.n_queries, p=query_probs[r]) for r in regions])
    seconds = np.sort(rng.integers(0, 86_400, n_req))
    hours = seconds // 3600

    # Retrieval: most candidates come from the query's category, the rest from anywhere.
    items = rng.integers(0, cfg.n_items, (n_req, n_cand))
    in_cat = rng.random((n_req, n_cand)) < cfg.in_category_share
    for r in range(n_req):
        pool = world.items_by_category[world.query_category[queries[r]]]
        k = int(in_cat[r].sum())
        items[r, in_cat[r]] = rng.choice(pool, size=k, replace=k > pool.size)

    u = users[:, None]
    q = queries[:, None]
    reg = regions[:, None]
    d = np.sqrt(cfg.latent_dim)
    affinity = np.einsum("rk,rck->rc", world.user_latent[users], world.item_latent[items]) / d
    query_affinity = np.einsum("rk,rck->rc", world.query_latent[queries], world.item_latent[items]) / d
    match = (world.item_category[items] == world.query_category[q]).astype(float)
    text_relevance = match + 0.3 * query_affinity + rng.normal(0.0, 0.3, (n_req, n_cand))
    taste = world.category_taste[reg, world.item_category[items]]
    price_rel = world.item_log_price_rel[items]
    discount = world.item_discount[items]
    ship_days = world.item_shipping_days[items, reg]
    price_sens = np.array([p.price_sensitivity for p in profiles])[reg] * world.user_price_factor[u]
    ship_sens = np.array([p.shipping_sensitivity for p in profiles])[reg]
    quality = world.item_quality[items]
    rating_z = (world.item_rating[items] - 4.0) / 0.6

    attract = (np.array([p.click_intercept for p in profiles])[reg] + 1.2 * match
               + 0.6 * affinity + 0.5 * query_affinity + 0.4 * quality + 0.5 * taste
               - 0.3 * price_sens * price_rel + 1.0 * discount - 0.5)
    cart_given_click = (np.array([p.cart_intercept for p in profiles])[reg] + 0.8 * affinity
                        + 0.3 * quality + 0.6 * taste - price_sens * price_rel + 1.5 * discount)
    buy_given_cart = (np.array([p.purchase_intercept for p in profiles])[reg] + 0.5 * quality
                      + 0.2 * rating_z - ship_sens * ship_days - 0.5 * price_sens * price_rel
                      + 0.4 * affinity + 0.5)

    # The legacy ranker that produced the logged order: relevance-ish plus noise.
    legacy = text_relevance + 0.5 * world.item_popularity[items] + rng.normal(0.0, 0.7, (n_req, n_cand))
    order = np.argsort(-legacy, axis=1, kind="stable")
    take = lambda a: np.take_along_axis(a, order, axis=1)  # noqa: E731 - local reorder helper
    items, match, text_relevance, price_rel, discount, ship_days = map(
        take, (items, match, text_relevance, price_rel, discount, ship_days))
    attract, cart_given_click, buy_given_cart = map(take, (attract, cart_given_click, buy_given_cart))
    position = np.broadcast_to(np.arange(n_cand), (n_req, n_cand))

    examination = world.examination(position)
    p_click = examination * _sigmoid(attract)
    p_cart = p_click * _sigmoid(cart_given_click)
    p_purchase = p_cart * _sigmoid(buy_given_cart)

    # Sampling step by step makes the funnel hold by construction.
    click = rng.random((n_req, n_cand)) < p_click
    cart = click & (rng.random((n_req, n_cand)) < _sigmoid(cart_given_click))
    purchase = cart & (rng.random((n_req, n_cand)) < _sigmoid(buy_given_cart))

    day_start = pd.Timestamp(day, tz="UTC")
    ts = day_start + pd.to_timedelta(np.repeat(seconds, n_cand), unit="s")
    stamp = day.strftime("%Y%m%d")
    request_ids = np.array([f"{stamp}-{i:06d}" for i in range(n_req)], dtype=object)
    flat = lambda a: np.ascontiguousarray(a).reshape(-1)  # noqa: E731 - row-major flatten
    region_names = np.array(world.region_names, dtype=object)

    frame = pd.DataFrame({
        "request_id": np.repeat(request_ids, n_cand),
        "ts": ts,
        "dt": day.isoformat(),
        "user_id": np.repeat(users, n_cand).astype(np.int64),
        "region": np.repeat(region_names[regions], n_cand),
        "query_id": np.repeat(queries, n_cand).astype(np.int64),
        "item_id": flat(items).astype(np.int64),
        "position": flat(position).astype(np.int32),
        # categorical features
        "category_id": flat(world.item_category[items]).astype(np.int64),
        "query_category_id": np.repeat(world.query_category[queries], n_cand).astype(np.int64),
        "seller_id": flat(world.item_seller[items]).astype(np.int64),
        "device": np.repeat(world.user_device[users], n_cand).astype(np.int64),
        "user_segment": np.repeat(world.user_segment[users], n_cand).astype(np.int64),
        "region_code": np.repeat(regions, n_cand).astype(np.int64),
        # numerical features
        "log_price": flat(np.log(world.item_price[items])).astype(np.float32),
        "price_rel_category": flat(price_rel).astype(np.float32),
        "discount": flat(discount).astype(np.float32),
        "shipping_days": flat(ship_days).astype(np.float32),
        "item_rating": flat(world.item_rating[items]).astype(np.float32),
        "item_popularity": flat(world.item_popularity[items]).astype(np.float32),
        "text_relevance": flat(text_relevance).astype(np.float32),
        "query_category_match": flat(match).astype(np.float32),
        "user_activity": np.repeat(np.log(world.user_activity[users]), n_cand).astype(np.float32),
        "user_price_level": np.repeat(
            world.user_price_factor[users] * np.exp(rng.normal(0.0, 0.15, n_req)), n_cand
        ).astype(np.float32),
        "hour_of_day": np.repeat(hours, n_cand).astype(np.float32),
        # labels
        "click": flat(click).astype(np.int32),
        "add_to_cart": flat(cart).astype(np.int32),
        "purchase": flat(purchase).astype(np.int32),
        # ground truth, evaluation only
        "truth_p_click": flat(p_click).astype(np.float64),
        "truth_p_cart": flat(p_cart).astype(np.float64),
        "truth_p_purchase": flat(p_purchase).astype(np.float64),
        "truth_examination": flat(examination).astype(np.float64),
    })
    return frame


EVENTS_SCHEMA = pa.schema([
    ("request_id", pa.string()),
    ("ts", pa.timestamp("ms", tz="UTC")),
    ("dt", pa.string()),
    ("user_id", pa.int64()),
    ("region", pa.string()),
    ("query_id", pa.int64()),
    ("item_id", pa.int64()),
    ("position", pa.int32()),
    *[(c, pa.int64()) for c in ("category_id", "query_category_id", "seller_id", "device",
                                "user_segment", "region_code")],
    *[(c, pa.float32()) for c in NUMERICAL_COLUMNS],
    ("click", pa.int32()),
    ("add_to_cart", pa.int32()),
    ("purchase", pa.int32()),
    ("truth_p_click", pa.float64()),
    ("truth_p_cart", pa.float64()),
    ("truth_p_purchase", pa.float64()),
    ("truth_examination", pa.float64()),
])


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    # The timestamp column is converted by hand: pyarrow's pandas path goes through the
    # deprecated tz-dropping Series.values.
    utc = frame["ts"].dt.tz_convert(None).to_numpy().astype("datetime64[ms]")
    arrays = [pa.array(utc, type=pa.timestamp("ms")).cast(pa.timestamp("ms", tz="UTC")) if f.name == "ts"
              else pa.array(frame[f.name].to_numpy(), type=f.type) for f in EVENTS_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=EVENTS_SCHEMA)


def partition_path(out_dir: str | os.PathLike[str], day: dt.date) -> Path:
    return Path(out_dir) / f"dt={day.isoformat()}" / "part-00000.parquet"


def write_partitions(world: World, out_dir: str | os.PathLike[str], start_date: dt.date | str,
                     days: int, *, write_spec: bool = True) -> list[Path]:
    """Write `days` daily partitions `out_dir/dt=YYYY-MM-DD/part-00000.parquet` and, with
    `write_spec`, the world's feature spec as `out_dir/feature_spec.json`.

    Each file is written to a temporary name and renamed, so a crash never leaves a
    half-written partition; rewriting a day replaces it with identical content.
    """
    if isinstance(start_date, str):
        start_date = dt.date.fromisoformat(start_date)
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    written = []
    for offset in range(days):
        day = start_date + dt.timedelta(days=offset)
        frame = simulate_day(world, day)
        table = _to_arrow(frame)
        target = partition_path(out_dir, day)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".tmp")
        os.close(fd)
        try:
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(target)
    if write_spec:
        spec_path = Path(out_dir) / FEATURE_SPEC_FILE
        tmp_spec = spec_path.with_name(f".{FEATURE_SPEC_FILE}.tmp")
        tmp_spec.write_text(json.dumps(world.feature_spec.to_dict(), indent=1) + "\n")
        os.replace(tmp_spec, spec_path)
    return written


def generate_events(world: World, start_date: dt.date | str, days: int) -> pd.DataFrame:
    """The same rows write_partitions would write, in memory (tests, benchmarks)."""
    if isinstance(start_date, str):
        start_date = dt.date.fromisoformat(start_date)
    frames = [simulate_day(world, start_date + dt.timedelta(days=i)) for i in range(days)]
    return pd.concat(frames, ignore_index=True)


def expected_orders_per_request(world: World, frame: pd.DataFrame, scores: np.ndarray,
                                k: int | None = None) -> float:
    """Simulated online metric: expected purchases per request if the list were re-ranked.

    Only clicking depends on position (through examination), so the true purchase
    probability at a new position is p_purchase * exam(new) / exam(logged). With `k`,
    only the top-k slots are shown.
    """
    request = pd.factorize(frame["request_id"])[0]
    order = np.lexsort((np.arange(len(frame)), -np.asarray(scores, dtype=float), request))
    ranked_request = request[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ranked_request)) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    p = frame["truth_p_purchase"].to_numpy()[order]
    exam_logged = frame["truth_examination"].to_numpy()[order]
    p_new = p / exam_logged * world.examination(rank.astype(float))
    if k is not None:
        p_new = np.where(rank < k, p_new, 0.0)
    return float(p_new.sum() / (ranked_request.max() + 1))
