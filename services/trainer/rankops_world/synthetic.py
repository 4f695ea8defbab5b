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
    # Pre-rank world only (the displayed-list world keeps its fixed weights 1.0 and 1.5):
    # how a discount moves the click and the add-to-cart logits. Negative where buyers
    # distrust discounts, so the effect changes sign between markets.
    discount_click_weight: float = 1.0
    discount_cart_weight: float = 1.5
    # Log of the market's price level (currency, taxes): shifts log_price, a market-specific
    # feature distribution.
    price_level: float = 0.0
    # Probability of each device among the market's buyers (None: uniform).
    device_mix: tuple[float, ...] | None = None
    # Phase of the market's slow demand cycle (drift across days), in radians.
    drift_phase: float = 0.0


DEFAULT_REGIONS: tuple[RegionProfile, ...] = (
    RegionProfile("US", 0.35, 0.5, 0.30, 1.0, -0.9, -0.9, 0.1),
    RegionProfile("NL", 0.20, 0.9, 0.08, 0.0, -1.1, -0.8, 0.3),
    RegionProfile("ES", 0.25, 1.6, 0.04, 3.0, -0.8, -1.1, 0.0),
    RegionProfile("FR", 0.20, 1.1, 0.18, 2.0, -1.0, -1.0, 0.2),
)


def zipf_shares(n: int, exponent: float) -> tuple[float, ...]:
    """Shares proportional to 1 / rank ** exponent, summing to 1 (rank 1 is the largest)."""
    weights = np.arange(1, n + 1, dtype=float) ** -exponent
    return tuple(float(w) for w in weights / weights.sum())


# The pre-rank world's ten markets, largest first, with Zipf(1.1) traffic shares. Price
# sensitivity is negative in KR and JP (a higher price reads as quality there), discounts
# lower the add-to-cart rate in DE, NL and SE (distrust of "too cheap"), shipping matters
# most where warehouses are far.
_PRERANK_SHARES = zipf_shares(10, 1.1)
PRERANK_REGIONS: tuple[RegionProfile, ...] = tuple(
    RegionProfile(name, share, price, ship_sens, ship_off, click, cart, buy, disc_click, disc_cart, level, devices,
                  phase)
    for (name, price, ship_sens, ship_off, click, cart, buy, disc_click, disc_cart, level, devices, phase), share
    in zip((
        ("US", 0.6, 0.25, 1.0, -4.0, -2.9, -2.6, 1.0, 1.4, 0.0, (0.55, 0.35, 0.10), 0.0),
        ("DE", 1.0, 0.10, 0.5, -4.2, -2.8, -2.2, 0.6, -0.8, 0.1, (0.40, 0.45, 0.15), 0.7),
        ("GB", 0.8, 0.20, 1.0, -4.1, -2.9, -2.5, 1.0, 1.2, 0.05, (0.60, 0.30, 0.10), 1.4),
        ("FR", 1.1, 0.18, 1.5, -4.1, -3.0, -2.5, 1.2, 1.0, 0.1, (0.50, 0.40, 0.10), 2.1),
        ("ES", 1.6, 0.05, 3.0, -3.9, -3.1, -2.7, 1.5, 1.8, -0.1, (0.70, 0.20, 0.10), 2.8),
        ("BR", 1.8, 0.04, 5.0, -3.8, -3.2, -2.9, 1.8, 2.0, -0.3, (0.80, 0.15, 0.05), 3.5),
        ("KR", -0.5, 0.35, 2.0, -4.3, -2.7, -2.3, 0.3, 0.4, 0.2, (0.85, 0.10, 0.05), 4.2),
        ("NL", 0.9, 0.08, 0.0, -4.2, -2.8, -2.3, 0.5, -0.6, 0.05, (0.45, 0.45, 0.10), 4.9),
        ("JP", -0.3, 0.30, 2.5, -4.4, -2.8, -2.2, 0.4, 0.6, 0.25, (0.75, 0.20, 0.05), 5.6),
        ("SE", 0.7, 0.12, 1.5, -4.2, -2.9, -2.4, 0.4, -1.0, 0.15, (0.50, 0.40, 0.10), 0.3),
    ), _PRERANK_SHARES))


@dataclass(frozen=True)
class PrerankConfig:
    """The logging system of the pre-rank world: retrieval returns `candidates_per_request`
    items; the logging pre-ranker keeps `keep` of them: its deterministic top `keep - explore`
    by its own score, plus `explore` drawn uniformly from the rest (so every candidate has a
    known, non-zero chance to be kept); a fixed downstream ranker orders the kept items and
    shows its first `shown - shown_explore`, then `shown_explore` kept items drawn uniformly
    from the rest (exploration slots at the end of the list), so every candidate has a non-zero
    chance to be shown. P(shown) per candidate is computed exactly (hypergeometric)."""

    keep: int = 80
    explore: int = 30
    shown: int = 20
    shown_explore: int = 2
    # Item popularity ~ 1 / rank ** popularity_zipf: retrieval draws popular items more often.
    popularity_zipf: float = 1.05
    # Retrieval's preference for the query's own category (added to the log retrieval weight).
    in_category_boost: float = 3.0
    # Share of "clickbait" items: attractive (more clicks, loud discounts) but poorly converting.
    clickbait_share: float = 0.08
    clickbait_click_boost: float = 1.0
    clickbait_buy_penalty: float = 2.0
    # Mild drift: each market's click and purchase intercepts follow a slow cycle of this amplitude (logit).
    drift_amplitude: float = 0.15
    drift_period_days: float = 28.0

    def __post_init__(self) -> None:
        if not 0 < self.shown <= self.keep:
            raise ValueError(f"prerank: need 0 < shown <= keep, got shown={self.shown}, keep={self.keep}")
        if not 0 <= self.explore <= self.keep:
            raise ValueError(f"prerank: need 0 <= explore <= keep, got explore={self.explore}, keep={self.keep}")
        if not 0 <= self.shown_explore < self.shown:
            raise ValueError(f"prerank: need 0 <= shown_explore < shown, got {self.shown_explore}, {self.shown}")


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
    # None: the displayed-list world (every candidate is shown). Set: the pre-rank world, whose
    # events hold the whole candidate set with the logging policy's propensities.
    prerank: PrerankConfig | None = None

    def __post_init__(self) -> None:
        if self.prerank is not None and self.prerank.keep >= self.candidates_per_request:
            raise ValueError(f"prerank.keep ({self.prerank.keep}) must be below candidates_per_request "
                             f"({self.candidates_per_request})")

    @classmethod
    def small(cls, seed: int = 7) -> "WorldConfig":
        """A world small enough for unit tests (a few thousand rows per day)."""
        return cls(seed=seed, n_users=400, n_items=300, n_queries=60, requests_per_day=150,
                   candidates_per_request=12)

    @classmethod
    def prerank_world(cls, seed: int = 7) -> "WorldConfig":
        """The pre-rank world (docs/data.md): 300 candidates per request, the logging pre-ranker
        keeps 80, 20 are shown; ten markets with Zipf traffic; ~600 000 candidate rows a day.
        FROZEN for the model comparison of issue #16: do not tune it to favour a model."""
        return cls(seed=seed, regions=PRERANK_REGIONS, n_users=30_000, n_items=20_000, n_queries=2_000,
                   n_categories=40, n_sellers=1_500, requests_per_day=2_000, candidates_per_request=300,
                   position_bias_power=1.0, category_taste_scale=0.9, prerank=PrerankConfig())

    @classmethod
    def small_prerank(cls, seed: int = 7) -> "WorldConfig":
        """The pre-rank world's mechanics at unit-test size (about 7 000 candidate rows a day)."""
        return cls(seed=seed, regions=PRERANK_REGIONS, n_users=800, n_items=1_500, n_queries=120,
                   n_categories=12, n_sellers=100, requests_per_day=120, candidates_per_request=60,
                   position_bias_power=1.0, prerank=PrerankConfig(keep=24, explore=8, shown=10, shown_explore=2))


# The named presets the command lines offer (seed_events --world, simulate_traffic --world).
WORLD_PRESETS = {
    "default": WorldConfig,
    "small": WorldConfig.small,
    "prerank": WorldConfig.prerank_world,
    "small-prerank": WorldConfig.small_prerank,
}
# The world `./rankops demo` seeds and its simulated buyers shop in ("--world demo").
DEMO_WORLD = "prerank"
WORLD_PRESETS["demo"] = WORLD_PRESETS[DEMO_WORLD]


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
    # Pre-rank world only: retrieval weight (Zipf popularity) and the hidden clickbait flag.
    item_retrieval_weight: np.ndarray | None = field(default=None, repr=False)
    item_clickbait: np.ndarray | None = field(default=None, repr=False)

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

    extra: dict[str, np.ndarray] = {}
    if config.prerank is not None:
        # A second stream, so the displayed-list world's draws above stay what they were.
        pre = config.prerank
        rng2 = np.random.default_rng([config.seed, 2])
        # Zipf popularity with a long tail; better items tend to be more popular, not always.
        popularity_rank = np.empty(config.n_items, dtype=np.int64)
        popularity_rank[np.argsort(-(0.6 * item_quality + rng2.normal(0.0, 1.0, config.n_items)))] = \
            np.arange(config.n_items)
        weight = (1.0 + popularity_rank) ** -pre.popularity_zipf
        log_weight = np.log(weight)
        # The observable popularity (a sales-rank signal): standardized log popularity, noisy.
        item_popularity = (log_weight - log_weight.mean()) / log_weight.std() + rng2.normal(0.0, 0.3, config.n_items)
        clickbait = rng2.random(config.n_items) < pre.clickbait_share
        # Clickbait shouts discounts and is a little worse than it looks.
        item_discount = np.clip(item_discount + 0.2 * clickbait, 0.0, 0.8)
        item_quality = item_quality - 0.5 * clickbait
        mixes = [r.device_mix or (1.0 / config.n_devices,) * config.n_devices for r in config.regions]
        for r, mix in enumerate(mixes):
            if len(mix) != config.n_devices:
                raise ValueError(f"region {config.regions[r].name}: device_mix needs {config.n_devices} entries")
            members = np.flatnonzero(user_region == r)
            user_device[members] = rng2.choice(config.n_devices, size=members.size, p=np.asarray(mix) / sum(mix))
        extra = {"item_retrieval_weight": weight / weight.sum(), "item_clickbait": clickbait}

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
        **extra,
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
        # Served from the ranker's item snapshot; shipping_days is a live estimate for the buyer's address.
        item_features=("category_id", "seller_id", "log_price", "price_rel_category", "discount",
                       "item_rating", "item_popularity"),
        candidate_features=("text_relevance", "query_category_match", "shipping_days"),
        overridable=("log_price", "price_rel_category", "discount"),
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def simulate_day(world: World, day: dt.date) -> pd.DataFrame:
    """All impressions of one day: one row per (request, candidate item). In the pre-rank
    world, one row per retrieved candidate, shown or not (`simulate_prerank_day`)."""
    if world.config.prerank is not None:
        return simulate_prerank_day(world, day)
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


# --- The pre-rank world -------------------------------------------------------------------------

# Columns of the candidate-set schema beyond the displayed-list one (docs/data.md). The names
# live in rankops_trainer.data.schema, which the trainer and its checks read too.
from rankops_trainer.data.schema import (CANDIDATE_SET_COLUMNS, DISPLAY_POSITION, PRERANK_KEPT,  # noqa: E402
                                         PRERANK_POSITION, PROPENSITY, PROPENSITY_KEPT, SHOWN,
                                         TRUTH_DOWNSTREAM_SCORE, TRUTH_IF_EXAMINED)


def _log_factorials(n: int) -> np.ndarray:
    return np.r_[0.0, np.cumsum(np.log(np.arange(1, n + 1, dtype=float)))]


def _hypergeom_cdf(t: np.ndarray, population: np.ndarray, successes: np.ndarray, draws: int,
                   log_fact: np.ndarray) -> np.ndarray:
    """P(X <= t) for X ~ Hypergeometric(population, successes, draws), elementwise (chunked:
    the [rows, draws + 1] temporaries of a whole day would take gigabytes)."""
    t, population, successes = (np.ravel(a) for a in np.broadcast_arrays(t, population, successes))
    out = np.empty(t.shape, dtype=np.float64)
    x = np.arange(draws + 1, dtype=np.int64)[None, :]
    chunk = 65_536
    for first in range(0, t.size, chunk):
        rows = slice(first, first + chunk)
        pop, succ = population[rows, None], successes[rows, None]
        fails = pop - succ
        valid = (x <= succ) & (draws - x <= fails) & (x <= t[rows, None])
        xs = np.where(valid, x, 0)
        log_pmf = (log_fact[succ] - log_fact[xs] - log_fact[np.maximum(succ - xs, 0)]
                   + log_fact[np.maximum(fails, 0)] - log_fact[np.maximum(draws - xs, 0)]
                   - log_fact[np.maximum(fails - draws + xs, 0)]
                   - (log_fact[pop] - log_fact[draws] - log_fact[np.maximum(pop - draws, 0)]))
        out[rows] = np.where(valid, np.exp(log_pmf), 0.0).sum(axis=1)
    return out


def logging_block(prerank_score: np.ndarray, keep: int, explore: int) -> np.ndarray:
    """[R, C] bool: the logging pre-ranker's deterministic top keep - explore by its score."""
    block = np.zeros(prerank_score.shape, dtype=bool)
    top = np.argsort(-prerank_score, axis=1, kind="stable")[:, :keep - explore]
    np.put_along_axis(block, top, True, axis=1)
    return block


def draw_logged_lists(prerank_score: np.ndarray, downstream_score: np.ndarray, pre: PrerankConfig,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One draw of the logging policy for [R, C] candidates: (kept, shown) boolean masks.
    Kept = the deterministic block plus `explore` uniform picks from the rest; shown = the
    downstream ranker's top `shown - shown_explore` among the kept plus `shown_explore`
    uniform picks from the other kept items."""
    block = logging_block(prerank_score, pre.keep, pre.explore)
    keys = np.where(block, -np.inf, rng.random(prerank_score.shape))
    kept = block.copy()
    if pre.explore:
        picks = np.argsort(-keys, axis=1, kind="stable")[:, :pre.explore]
        np.put_along_axis(kept, picks, True, axis=1)
    rank_among_kept = np.argsort(np.argsort(np.where(kept, -downstream_score, np.inf), axis=1, kind="stable"),
                                 axis=1, kind="stable")
    top = kept & (rank_among_kept < pre.shown - pre.shown_explore)
    shown = top.copy()
    if pre.shown_explore:
        keys = np.where(kept & ~top, rng.random(prerank_score.shape), -np.inf)
        picks = np.argsort(-keys, axis=1, kind="stable")[:, :pre.shown_explore]
        np.put_along_axis(shown, picks, True, axis=1)
    return kept, shown


def shown_propensities(prerank_score: np.ndarray, downstream_score: np.ndarray,
                       pre: PrerankConfig) -> tuple[np.ndarray, np.ndarray]:
    """Exact (P(kept), P(shown)) of every candidate under `draw_logged_lists`.

    A block item is in the downstream top T = shown - shown_explore iff fewer than T kept
    items outrank it downstream: the block
    items above it (a, fixed) plus the explored ones above it (hypergeometric: `explore` drawn
    from the N non-block items, b of which are above it). A non-block item must itself be
    drawn (explore / N), then the other explore - 1 draws come from the remaining N - 1.
    A kept item outside that top is shown with probability shown_explore / (keep - T), so
    P(shown) = P(top) + (P(kept) - P(top)) * shown_explore / (keep - T) > 0 for every
    candidate. Per request the P(shown) sum to `shown` exactly."""
    n_req, n_cand = prerank_score.shape
    block = logging_block(prerank_score, pre.keep, pre.explore)
    pool_size = n_cand - (pre.keep - pre.explore)
    order = np.argsort(-downstream_score, axis=1, kind="stable")
    block_sorted = np.take_along_axis(block, order, axis=1).astype(np.int64)
    above_block_sorted = np.cumsum(block_sorted, axis=1) - block_sorted
    above_pool_sorted = np.arange(n_cand)[None, :] - above_block_sorted
    above_block = np.empty_like(above_block_sorted)
    above_pool = np.empty_like(above_pool_sorted)
    np.put_along_axis(above_block, order, above_block_sorted, axis=1)
    np.put_along_axis(above_pool, order, above_pool_sorted, axis=1)
    top = pre.shown - pre.shown_explore
    room = top - 1 - above_block  # how many explored items may outrank it
    log_fact = _log_factorials(n_cand)
    population = np.where(block, pool_size, pool_size - 1)
    p_block = _hypergeom_cdf(room, np.full_like(room, pool_size), above_pool, pre.explore,
                             log_fact).reshape(room.shape)
    if pre.explore:
        p_pool = pre.explore / pool_size * _hypergeom_cdf(room, population, above_pool, pre.explore - 1,
                                                          log_fact).reshape(room.shape)
    else:
        p_pool = np.zeros_like(p_block)
    p_top = np.where(room < 0, 0.0, np.where(block, p_block, p_pool))
    p_kept = np.where(block, 1.0, pre.explore / pool_size)
    p_shown = p_top + (p_kept - p_top) * (pre.shown_explore / (pre.keep - top))
    # Rounding must not lift P(shown) above P(kept) (both are 1 for a sure item).
    return p_kept, np.minimum(p_shown, p_kept)


def _retrieve(world: World, queries: np.ndarray, n_cand: int, boost: float, rng: np.random.Generator) -> np.ndarray:
    """[R, C] distinct items per request: popularity-weighted draws without replacement
    (Gumbel top-C), favouring the query's category."""
    log_weight = np.log(world.item_retrieval_weight)
    items = np.empty((len(queries), n_cand), dtype=np.int64)
    chunk = 128
    for first in range(0, len(queries), chunk):
        q = queries[first:first + chunk]
        in_cat = world.item_category[None, :] == world.query_category[q][:, None]
        keys = log_weight[None, :] + boost * in_cat + rng.gumbel(size=(len(q), world.config.n_items))
        items[first:first + chunk] = np.argpartition(-keys, n_cand - 1, axis=1)[:, :n_cand]
    return items


def simulate_prerank_day(world: World, day: dt.date) -> pd.DataFrame:
    """One day of the pre-rank world: one row per retrieved candidate, in the logged order
    (the shown list first, then the kept-but-unshown in downstream order, then the rest in the
    logging pre-ranker's order). Behaviour only on shown rows, with position bias."""
    cfg = world.config
    pre = cfg.prerank
    rng = np.random.default_rng([cfg.seed, 1, day.toordinal()])
    n_req, n_cand = cfg.requests_per_day, cfg.candidates_per_request
    profiles = cfg.regions
    region_param = lambda name: np.array([getattr(p, name) for p in profiles])  # noqa: E731

    activity = world.user_activity / world.user_activity.sum()
    users = rng.choice(cfg.n_users, size=n_req, p=activity)
    regions = world.user_region[users]
    query_logits = world.category_taste[:, world.query_category]
    query_probs = np.exp(query_logits - query_logits.max(axis=1, keepdims=True))
    query_cdf = np.cumsum(query_probs / query_probs.sum(axis=1, keepdims=True), axis=1)
    queries = np.minimum((query_cdf[regions] < rng.random(n_req)[:, None]).sum(axis=1), cfg.n_queries - 1)
    seconds = np.sort(rng.integers(0, 86_400, n_req))
    hours = seconds // 3600

    items = _retrieve(world, queries, n_cand, pre.in_category_boost, rng)

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
    price_sens = region_param("price_sensitivity")[reg] * world.user_price_factor[u]
    ship_sens = region_param("shipping_sensitivity")[reg]
    quality = world.item_quality[items]
    rating_z = (world.item_rating[items] - 4.0) / 0.6
    popularity = world.item_popularity[items]
    clickbait = world.item_clickbait[items].astype(float)
    cycle = 2 * np.pi * day.toordinal() / pre.drift_period_days
    drift = pre.drift_amplitude * np.sin(cycle + region_param("drift_phase"))[reg]

    attract = (region_param("click_intercept")[reg] + drift + 1.2 * match + 0.6 * affinity + 0.5 * query_affinity
               + 0.3 * quality + 0.5 * taste + 0.25 * popularity - 0.3 * price_sens * price_rel
               + region_param("discount_click_weight")[reg] * discount + pre.clickbait_click_boost * clickbait)
    cart_given_click = (region_param("cart_intercept")[reg] + 0.8 * affinity + 0.3 * quality + 0.6 * taste
                        - price_sens * price_rel + region_param("discount_cart_weight")[reg] * discount
                        - 0.5 * pre.clickbait_buy_penalty * clickbait)
    buy_given_cart = (region_param("purchase_intercept")[reg] - drift + 0.5 * quality + 0.2 * rating_z
                      - ship_sens * ship_days - 0.5 * price_sens * price_rel + 0.4 * affinity
                      - pre.clickbait_buy_penalty * clickbait)

    # The logging pre-ranker: relevance and popularity, fond of discounts, noisy.
    prerank_score = (text_relevance + 0.5 * popularity + 0.8 * discount
                     + rng.normal(0.0, 0.8, (n_req, n_cand)))
    # The fixed downstream ranker: it also knows the buyer (affinity) and the rating.
    downstream = (text_relevance + 0.3 * popularity + 0.3 * rating_z + 0.5 * affinity
                  + rng.normal(0.0, 0.5, (n_req, n_cand)))
    kept, shown = draw_logged_lists(prerank_score, downstream, pre, rng)
    p_kept, p_shown = shown_propensities(prerank_score, downstream, pre)

    # The logged order: shown (display order: the downstream top, then the exploration slots, each
    # by downstream score), kept but unshown (downstream order), then the rest (pre-rank order).
    order = np.argsort(np.where(shown, -downstream, np.where(kept, 1e6 - downstream, 2e6 - prerank_score)),
                       axis=1, kind="stable")
    prerank_rank = np.argsort(np.argsort(-prerank_score, axis=1, kind="stable"), axis=1, kind="stable")
    take = lambda a: np.take_along_axis(a, order, axis=1)  # noqa: E731 - local reorder helper
    (items, match, text_relevance, price_rel, discount, ship_days, attract, cart_given_click, buy_given_cart,
     downstream, kept, shown, p_kept, p_shown, prerank_rank) = map(take, (
        items, match, text_relevance, price_rel, discount, ship_days, attract, cart_given_click, buy_given_cart,
        downstream, kept, shown, p_kept, p_shown, prerank_rank))
    position = np.broadcast_to(np.arange(n_cand), (n_req, n_cand))
    display_position = np.where(shown, position, -1)

    examination = np.where(shown, world.examination(position.astype(float)), 0.0)
    click_if_examined = _sigmoid(attract)
    cart_if_examined = click_if_examined * _sigmoid(cart_given_click)
    purchase_if_examined = cart_if_examined * _sigmoid(buy_given_cart)
    # Step by step, and only where shown: the funnel and "labels only on shown items" hold by construction.
    click = shown & (rng.random((n_req, n_cand)) < examination * click_if_examined)
    cart = click & (rng.random((n_req, n_cand)) < _sigmoid(cart_given_click))
    purchase = cart & (rng.random((n_req, n_cand)) < _sigmoid(buy_given_cart))

    day_start = pd.Timestamp(day, tz="UTC")
    ts = day_start + pd.to_timedelta(np.repeat(seconds, n_cand), unit="s")
    stamp = day.strftime("%Y%m%d")
    request_ids = np.array([f"{stamp}-{i:06d}" for i in range(n_req)], dtype=object)
    flat = lambda a: np.ascontiguousarray(a).reshape(-1)  # noqa: E731 - row-major flatten
    per_request = lambda a: np.repeat(a, n_cand)  # noqa: E731
    region_names = np.array(world.region_names, dtype=object)
    log_price = np.log(world.item_price[items]) + region_param("price_level")[reg]

    return pd.DataFrame({
        "request_id": per_request(request_ids),
        "ts": ts,
        "dt": day.isoformat(),
        "user_id": per_request(users).astype(np.int64),
        "region": per_request(region_names[regions]),
        "query_id": per_request(queries).astype(np.int64),
        "item_id": flat(items).astype(np.int64),
        "position": flat(position).astype(np.int32),
        "category_id": flat(world.item_category[items]).astype(np.int64),
        "query_category_id": per_request(world.query_category[queries]).astype(np.int64),
        "seller_id": flat(world.item_seller[items]).astype(np.int64),
        "device": per_request(world.user_device[users]).astype(np.int64),
        "user_segment": per_request(world.user_segment[users]).astype(np.int64),
        "region_code": per_request(regions).astype(np.int64),
        "log_price": flat(log_price).astype(np.float32),
        "price_rel_category": flat(price_rel).astype(np.float32),
        "discount": flat(discount).astype(np.float32),
        "shipping_days": flat(ship_days).astype(np.float32),
        "item_rating": flat(world.item_rating[items]).astype(np.float32),
        "item_popularity": flat(world.item_popularity[items]).astype(np.float32),
        "text_relevance": flat(text_relevance).astype(np.float32),
        "query_category_match": flat(match).astype(np.float32),
        "user_activity": per_request(np.log(world.user_activity[users])).astype(np.float32),
        "user_price_level": per_request(
            world.user_price_factor[users] * np.exp(rng.normal(0.0, 0.15, n_req))).astype(np.float32),
        "hour_of_day": per_request(hours).astype(np.float32),
        "click": flat(click).astype(np.int32),
        "add_to_cart": flat(cart).astype(np.int32),
        "purchase": flat(purchase).astype(np.int32),
        SHOWN: flat(shown).astype(np.int32),
        DISPLAY_POSITION: flat(display_position).astype(np.int32),
        PRERANK_KEPT: flat(kept).astype(np.int32),
        PRERANK_POSITION: flat(prerank_rank).astype(np.int32),
        PROPENSITY: flat(p_shown).astype(np.float64),
        PROPENSITY_KEPT: flat(p_kept).astype(np.float64),
        "truth_p_click": flat(examination * click_if_examined),
        "truth_p_cart": flat(examination * cart_if_examined),
        "truth_p_purchase": flat(examination * purchase_if_examined),
        "truth_examination": flat(examination),
        TRUTH_IF_EXAMINED["click"]: flat(click_if_examined),
        TRUTH_IF_EXAMINED["cart"]: flat(cart_if_examined),
        TRUTH_IF_EXAMINED["purchase"]: flat(purchase_if_examined),
        TRUTH_DOWNSTREAM_SCORE: flat(downstream),
    })


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

# The candidate-set events: the displayed-list columns, the logging policy's, and more truth.
PRERANK_EVENTS_SCHEMA = pa.schema([
    *[f for f in EVENTS_SCHEMA if not f.name.startswith("truth_")],
    (SHOWN, pa.int32()),
    (DISPLAY_POSITION, pa.int32()),
    (PRERANK_KEPT, pa.int32()),
    (PRERANK_POSITION, pa.int32()),
    (PROPENSITY, pa.float64()),
    (PROPENSITY_KEPT, pa.float64()),
    *[f for f in EVENTS_SCHEMA if f.name.startswith("truth_")],
    *[(TRUTH_IF_EXAMINED[t], pa.float64()) for t in ("click", "cart", "purchase")],
    (TRUTH_DOWNSTREAM_SCORE, pa.float64()),
])


def events_schema(config: WorldConfig) -> pa.Schema:
    return EVENTS_SCHEMA if config.prerank is None else PRERANK_EVENTS_SCHEMA


def _to_arrow(frame: pd.DataFrame, schema: pa.Schema = EVENTS_SCHEMA) -> pa.Table:
    # The timestamp column is converted by hand: pyarrow's pandas path goes through the
    # deprecated tz-dropping Series.values.
    utc = frame["ts"].dt.tz_convert(None).to_numpy().astype("datetime64[ms]")
    arrays = [pa.array(utc, type=pa.timestamp("ms")).cast(pa.timestamp("ms", tz="UTC")) if f.name == "ts"
              else pa.array(frame[f.name].to_numpy(), type=f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


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
        table = _to_arrow(frame, events_schema(world.config))
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
    rank = _rank_within(ranked_request)
    p_new = _purchase_if_examined(frame)[order] * world.examination(rank.astype(float))
    if k is not None:
        p_new = np.where(rank < k, p_new, 0.0)
    return float(p_new.sum() / (ranked_request.max() + 1))


def _rank_within(sorted_groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal values of an already grouped array."""
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    return np.arange(len(sorted_groups)) - np.repeat(starts, np.diff(np.r_[starts, len(sorted_groups)]))


def _purchase_if_examined(frame: pd.DataFrame) -> np.ndarray:
    # The pre-rank world logs it; in the displayed-list world every row was examined with
    # probability truth_examination > 0, so it can be recovered.
    if TRUTH_IF_EXAMINED["purchase"] in frame.columns:
        return frame[TRUTH_IF_EXAMINED["purchase"]].to_numpy(dtype=np.float64)
    return frame["truth_p_purchase"].to_numpy(dtype=np.float64) / frame["truth_examination"].to_numpy(dtype=np.float64)


def expected_orders_prerank(world: World, frame: pd.DataFrame, scores: np.ndarray, keep_k: int | None = None,
                            shown: int | None = None) -> float:
    """Simulated online metric of a pre-ranker: expected purchases per request when `scores`
    pick the top `keep_k` of each request's full candidate set, the world's fixed downstream
    ranker (truth_downstream_score) orders those and the buyer sees the first `shown` (the
    world's, without the logging policy's exploration slots) with position bias.

    `keep_k` and `shown` default to the world's; ties in `scores` break by row order. This is
    what `simulate_traffic` does request by request against the ranker.
    """
    pre = world.config.prerank
    if pre is None:
        raise ValueError("expected_orders_prerank needs a pre-rank world (WorldConfig.prerank)")
    keep_k = pre.keep if keep_k is None else keep_k
    shown = pre.shown if shown is None else shown
    if not 0 < shown <= keep_k:
        raise ValueError(f"need 0 < shown <= keep_k, got shown={shown}, keep_k={keep_k}")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (len(frame),) or not np.isfinite(scores).all():
        raise ValueError(f"scores must be {len(frame)} finite numbers, got shape {scores.shape}")
    request = pd.factorize(frame["request_id"])[0]
    rows = np.arange(len(frame))
    by_score = np.lexsort((rows, -scores, request))
    kept = np.zeros(len(frame), dtype=bool)
    kept[by_score[_rank_within(request[by_score]) < keep_k]] = True
    downstream = frame[TRUTH_DOWNSTREAM_SCORE].to_numpy(dtype=np.float64)
    # Kept rows first within each request, in downstream order.
    by_downstream = np.lexsort((rows, -downstream, ~kept, request))
    slot = _rank_within(request[by_downstream])
    on_page = slot < shown
    picked = by_downstream[on_page]
    p = _purchase_if_examined(frame)[picked] * world.examination(slot[on_page].astype(float))
    return float(p.sum() / (request.max() + 1))
