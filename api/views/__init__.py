"""Read models the web console needs and the original routes did not give: the county by
school and by teacher (with eligibility and its reasons, quotas, indicators), a plan's
moves with school names, its indicators before and after, its moves as a picture, the
difference between two plans, the policy as a form. Each is computed by the domain
(``rotation/``); nothing here decides a rule."""
