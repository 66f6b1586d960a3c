"""A local HTTP simulator of the Google Ads and Meta Marketing reporting APIs."""

from marketing_assets.simulator.fault_kinds import DEFAULT_KINDS, FAULT_KINDS, FaultSettings
from marketing_assets.simulator.faults import FaultPlan
from marketing_assets.simulator.models import SimulatedAccount, SimulatorCredentials
from marketing_assets.simulator.random_faults import RandomFaultPlan
from marketing_assets.simulator.server import SimulatorServer
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse

__all__ = [
    "DEFAULT_KINDS",
    "FAULT_KINDS",
    "FaultPlan",
    "FaultSettings",
    "RandomFaultPlan",
    "SimulatedAccount",
    "SimulatorCredentials",
    "SimulatorRequest",
    "SimulatorResponse",
    "SimulatorServer",
]
