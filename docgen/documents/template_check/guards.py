"""Which names a Jinja test guarantees are not empty: {% if agent %}, `a and a.employer`, `x is not none` …"""

from __future__ import annotations

from jinja2 import nodes


def dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{dotted(node.node)}[{node.arg.value!r}]"
    return "…"


def paths(node: nodes.Node) -> frozenset[str]:
    """The names an expression reads, itself and each prefix: agent.office -> {agent, agent.office}."""
    if isinstance(node, nodes.Name):
        return frozenset({node.name})
    if isinstance(node, (nodes.Getattr, nodes.Getitem)) and "…" not in (path := dotted(node)):
        return paths(node.node) | {path}
    return frozenset()


def _none_compared(test: nodes.Node, op: str) -> nodes.Node | None:
    """x for `x == none` (op 'eq') or `x != none` (op 'ne')."""
    if isinstance(test, nodes.Compare) and len(test.ops) == 1 and test.ops[0].op == op:
        other = test.ops[0].expr
        if isinstance(other, nodes.Const) and other.value is None:
            return test.expr
    return None


def true_when(test: nodes.Node) -> frozenset[str]:
    """The names that are not empty where `test` is true: {% if agent %}, {% if a and a.employer %}, is not none."""
    if isinstance(test, (nodes.Name, nodes.Getattr, nodes.Getitem)):
        return paths(test)
    if isinstance(test, nodes.And):
        return true_when(test.left) | true_when(test.right)
    if isinstance(test, nodes.Or):
        return true_when(test.left) & true_when(test.right)
    if isinstance(test, nodes.Not):
        return false_when(test.node)
    value = _none_compared(test, "ne")
    return paths(value) if value is not None else frozenset()


def false_when(test: nodes.Node) -> frozenset[str]:
    """The names that are not empty where `test` is false: {% if not agent %} … {% else %}, is none."""
    if isinstance(test, nodes.Not):
        return true_when(test.node)
    if isinstance(test, nodes.Or):
        return false_when(test.left) | false_when(test.right)
    if isinstance(test, nodes.And):
        return false_when(test.left) & false_when(test.right)
    value = test.node if isinstance(test, nodes.Test) and test.name == "none" else _none_compared(test, "eq")
    return paths(value) if value is not None else frozenset()
