class EuroCompanyMixin:
    """For a test class of ``AccountTestInvoicingCommon`` whose company keeps
    its books in euros, as the law's statutory amounts are; every other class
    keeps the framework's company in USD."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        kwargs.setdefault("currency_id", cls.env.ref("base.EUR").id)
        return super().setup_independent_company(**kwargs)
