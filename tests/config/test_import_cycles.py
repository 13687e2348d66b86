"""No module of the project imports another that imports it back, even through others or inside a function.

The layers between apps are import-linter contracts (pyproject.toml, `make lint`); this test covers the cycles
inside an app, module by module, from the same import graph (grimp, import-linter's own reader).
"""

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "accounts",
    "bench",
    "common",
    "config",
    "content",
    "directory",
    "partners",
    "reporting",
    "territories",
    "workflows",
)


def import_cycles(graph) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without recursion)."""
    index, low, on_stack, stack, cycles = {}, {}, set(), [], []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == module:
                        break
                if len(component) > 1:
                    cycles.append(component)
    return cycles


def test_no_module_imports_another_that_imports_it_back(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    cycles = import_cycles(grimp.build_graph(*PACKAGES, cache_dir=None))
    assert not cycles, f"import cycles: {[sorted(cycle) for cycle in cycles]}"


def test_it_finds_a_cycle_through_several_modules():
    class Graph:
        imports = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
        modules = set(imports)

        def find_modules_directly_imported_by(self, module):
            return self.imports[module]

    assert import_cycles(Graph()) == [{"a", "b", "c"}]
