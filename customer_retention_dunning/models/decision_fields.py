"""Fields that carry a decision: who may write them, and how the module's
own code writes them.

A field such as a plan's state, a reminder's stated amount or a customer's
credit hold is evidence or a control. The screens show it read-only, but a
script over XML-RPC writes whatever the ACL allows, so every model that has
such fields checks them in ``create``/``write`` with :func:`check_fields`.

The module's own actions (approve, the nightly run, payment allocation)
first check the user's right themselves and then write through
:func:`internal`. That marks the environment with an object, not a value:
a JSON-RPC caller can put any string or number in the context, never this
instance, so the mark cannot be forged from outside. Unlike ``sudo()`` it
keeps the ACLs and record rules of the user for everything else.
"""

from odoo.exceptions import AccessError

CONTEXT_KEY = "dunning_internal_write"

# who may write a field by hand: a group's XML id, or None for "only the
# module's own actions"
ONLY_ACTIONS = None

GROUP_COLLECTOR = "customer_retention_dunning.group_collector"
GROUP_SENIOR = "customer_retention_dunning.group_collector_senior"
GROUP_CREDIT_MANAGER = "customer_retention_dunning.group_credit_manager"


class _InternalWrite:
    __slots__ = ()

    def __repr__(self):
        return "<customer_retention_dunning internal write>"


INTERNAL_WRITE = _InternalWrite()


def internal(records):
    """``records`` in an environment whose writes of decision fields come
    from this module's own checked code."""
    return records.with_context(**{CONTEXT_KEY: INTERNAL_WRITE})


def is_internal(env):
    return env.su or env.context.get(CONTEXT_KEY) is INTERNAL_WRITE


def check_group(env, group_xmlid):
    """Raise AccessError unless the user is in the group (or the code runs
    as the superuser, like the crons)."""
    if env.su or env.user.has_group(group_xmlid):
        return
    raise AccessError(
        env._(
            "This needs the %(group)s rights, which %(user)s does not have.",
            group=env.ref(group_xmlid).name,
            user=env.user.name,
        )
    )


def check_fields(records, vals, rules, creating=False, starts_as=None):
    """Refuse the fields of ``vals`` that ``rules`` ({field: group or
    ONLY_ACTIONS}) keeps from this user, with the field's label. When
    ``creating``, an empty value (what the form sends for an untouched
    field) decides nothing and passes, and so does a value of ``starts_as``
    ({field: the value every new record starts with})."""
    env = records.env
    if is_internal(env):
        return
    starts_as = starts_as or {}
    for name, value in vals.items():
        if name not in rules or (creating and not value):
            continue
        if creating and name in starts_as and value == starts_as[name]:
            continue
        group = rules[name]
        if group is not ONLY_ACTIONS and env.user.has_group(group):
            continue
        label = records._fields[name].get_description(env)["string"]
        if group is ONLY_ACTIONS:
            message = env._(
                "%(field)s on %(model)s changes only through its actions "
                "(buttons and the nightly run), never by editing it.",
                field=label,
                model=records._description,
            )
        else:
            message = env._(
                "Only %(group)s may change %(field)s on %(model)s.",
                group=env.ref(group).name,
                field=label,
                model=records._description,
            )
        raise AccessError(message)
