//! Batched loading of the common model and the regions: records by id, and the ids linked to them.

use entity::{
    core_function, municipality, province, societal_task, standard_proposition,
    standard_proposition_societal_task as sp_task, standard_proposition_target_group as sp_group, target_group,
};

use crate::kernel::loaders::{by_id, links};

by_id!(StandardPropositionKey, standard_proposition);
by_id!(CoreFunctionKey, core_function);
by_id!(SocietalTaskKey, societal_task);
by_id!(TargetGroupKey, target_group);
by_id!(ProvinceKey, province);
by_id!(MunicipalityKey, municipality);

links!(
    StandardSocietalTasks,
    sp_task,
    StandardPropositionId,
    SocietalTaskId,
    "Key: a standard proposition; loads its societal task ids."
);
links!(
    StandardTargetGroups,
    sp_group,
    StandardPropositionId,
    TargetGroupId,
    "Key: a standard proposition; loads its usual target group ids."
);
links!(TargetGroupChildren, target_group, ParentId, Id, "Key: a target group; loads the ids of its narrower groups.");
links!(ProvinceMunicipalities, municipality, ProvinceId, Id, "Key: a province; loads the ids of its municipalities.");
