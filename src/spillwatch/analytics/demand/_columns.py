"""Column names and indicator groups of the foreign-demand gauge (shared by gauge and result)."""

from __future__ import annotations

from typing import Literal

from spillwatch.analytics.demand.signals import SIGNAL_COLUMNS

Orientation = Literal["level", "neg"]

#: Head columns of the per-date frame.
GAUGE, PERCENTILE, TOP_GROUP, GROUPS_PRESENT = "gauge", "percentile", "top_group", "groups"
#: The groups whose gauge the percentile ranks (comma-separated; see ``consistent_percentile``).
PERCENTILE_GROUPS = "percentile_groups"
HEAD_COLUMNS: tuple[str, ...] = (GAUGE, PERCENTILE, PERCENTILE_GROUPS, TOP_GROUP,
                                 GROUPS_PRESENT)

#: Attribution groups: indicators (signal column, orientation) and the native frame they are
#: ranked in.
GROUPS: dict[str, tuple[tuple[str, Orientation], ...]] = {
    "custody": (("custody_chg1_z", "neg"), ("custody_chg4_z", "neg")),
    "japan_private": (("japan_bond_net1_z", "neg"), ("japan_bond_net4_z", "neg")),
    "japan_official": (("intervention_usd_sold_2m_jpy_bn", "level"),),
    "auctions": (("auction_weakness_28d", "level"), ("auction_indirect_dev_28d_pp", "neg")),
    "china": (("china_reserves_flow_z", "neg"), ("tic_china_mainland_flow_z", "neg")),
}
GROUP_NAMES: tuple[str, ...] = tuple(GROUPS)
#: Readable names of the groups.
GROUP_LABELS: dict[str, str] = {
    "custody": "foreign official custody", "japan_private": "Japan private",
    "japan_official": "Japan official", "auctions": "auctions", "china": "China",
}
SHARE_COLUMNS: tuple[str, ...] = tuple(f"share_{g}" for g in GROUPS)
TAIL_COLUMNS: tuple[str, ...] = tuple(f"tail_{g}" for g in GROUPS)
#: Every column of the per-date frame (what ``spillwatch demand --out`` writes).
FRAME_COLUMNS: tuple[str, ...] = (*HEAD_COLUMNS, *SHARE_COLUMNS, *TAIL_COLUMNS,
                                  *SIGNAL_COLUMNS)
