"""The step registry (workflows/steps.py) is the one place a step is declared: every reader agrees with it."""

import inspect

from django.template.loader import get_template

from workflows import notifications, services
from workflows.enums import Step
from workflows.flows import FLOWS
from workflows.steps import FORMS, STEP_PERMISSIONS, STEPS


def test_every_step_is_declared_once_in_the_registry():
    assert set(STEPS) == set(Step) and len(STEPS) == len(Step)
    assert all(spec.step == step for step, spec in STEPS.items())
    assert STEP_PERMISSIONS == {step: spec.permission for step, spec in STEPS.items()}
    assert FORMS == {step: spec.form for step, spec in STEPS.items()}


def test_the_form_fields_of_each_step_are_keyword_arguments_of_its_service():
    for step, spec in STEPS.items():
        parameters = inspect.signature(getattr(services, spec.service)).parameters
        assert {"work_item", "user", "request"} <= set(parameters), step
        assert set(spec.form.base_fields) <= set(parameters), step


def test_the_notifications_and_template_of_each_step_exist():
    for step, spec in STEPS.items():
        assert spec.notifies, step
        for name in spec.notifies:
            assert callable(getattr(notifications, name)), (step, name)
        get_template(spec.template)


def test_each_viewflow_node_carries_the_permission_of_its_step():
    steps = []
    for flow_class in FLOWS.values():
        for node in flow_class.instance.nodes():
            if hasattr(node, "work_step"):
                assert node._owner_permission == STEPS[node.work_step].permission, (flow_class, node.name)
                steps.append(node.work_step)
    assert sorted(steps) == sorted(STEPS)
