"""Treatment: which medicine from the shelf, how much, with what warnings. Pure core."""

from yakbang.treatment.dosing import Dose, Unsuitable, compute_dose
from yakbang.treatment.names import Resolved, UnknownMedicine, name_index, resolve_many
from yakbang.treatment.planner import Choice, StepResult, TreatmentInput, TreatmentResult, plan_treatment
from yakbang.treatment.stock import Stock, StockFileError, StockItem, load_stock, read_stock

__all__ = [
    "Choice", "Dose", "Resolved", "StepResult", "Stock", "StockFileError", "StockItem",
    "TreatmentInput", "TreatmentResult", "UnknownMedicine", "Unsuitable", "compute_dose",
    "load_stock", "name_index", "plan_treatment", "read_stock", "resolve_many",
]
