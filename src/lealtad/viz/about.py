"""The "About the model" tab, in the tradition of the NetLogo Models Library's Info tab (Markdown;
the app renders it to HTML on the server, so no math or CDN script is needed). Each section is one
message of the catalogs (lealtad.locale), its English text the message id."""

from __future__ import annotations

from ..locale import N_, gettext

SECTIONS: dict[str, str] = {
    "what": N_("""## WHAT IS IT?

lealtad ("loyalty" in Spanish) simulates the **service-profit chain** (Heskett, Jones, Loveman, Sasser
& Schlesinger 1994): good leadership and internal service make employees satisfied; satisfied
employees stay, learn and serve better; better service satisfies customers; satisfied customers stay,
buy again and tell others; and loyal customers bring profit and new customers. *An unhappy employee
makes unhappy customers.*

Two firms, **the company** (blue) and **its competitor** (orange), compete for one market of people
who are *prospects* (buying from neither), customers of the company, or customers of the competitor."""),
    "how": N_("""## HOW IT WORKS

Every simulated day follows the chain, in this order:

1. **Management** sets the internal service quality from leadership, training and pay.
2. **Employees** grow more or less satisfied with internal quality and work pressure (waiting customers
   per employee); dissatisfied employees quit more often; their position stays empty for a while and a
   novice takes it, who learns with time and training.
3. **Demand**: prospects adopt a firm through advertising or word of mouth (Bass 1969); customers come
   to buy at their usual rhythm.
4. **Encounters** (the *moments of truth*): customers contact their firm in person, by phone, by chat
   or by email; each channel's staff serve its queue first come, first served, and impatient customers
   give up, or are turned away by a long queue. The quality of each encounter depends on reliability
   (no failure), responsiveness (a short wait for that channel), the employee's competence and attitude,
   and the tangibles (SERVQUAL; Parasuraman et al. 1988).
5. **Customers** compare that quality with what they expected from the firm's image (Oliver 1980);
   bad surprises weigh more than good ones (Mittal et al. 1998); a few dissatisfied customers complain
   and some complaints are recovered; customers deep in the zone of defection leave (Jones & Sasser 1995),
   to the rival if they expect better there.
6. **Word of mouth**: promoters and, even more, detractors talk to their contacts in the social network
   (Anderson 1998); what people hear moves their image of each firm.
7. **Image**: every day each image fades a little toward the prior (the image of a firm nobody has
   heard of), whatever people heard that day; advertising pulls it toward the firm's promise.
8. **Economics**: revenue from purchases; costs of wages, training, hiring, complaint recovery,
   retention, acquisition and advertising."""),
    "use": N_("""## HOW TO USE IT

- **Play** runs the days one after another; **Pause** stops; **Step one day** advances a single day;
  **Reset** starts again from day 0 (with any change to the market that was waiting for it).
  **Frames per second** sets Play's pace (a slow computer draws fewer) and **Days per frame** makes it
  skip ahead.
- **Scenario** loads one of the shipped experiments' scenarios (for example *better leadership* or a
  *10-day strike*) and resets.
- **Parameter group** chooses which sliders you see: the company's policies, the competitor's, employees,
  customers, the network, economics... Each control shows its unit and a one-line help. Policies apply
  from tomorrow; parameters that shape the market (its size, the network, initial shares) apply at reset.
  A value that is not allowed shows a message in red and changes nothing.
- **Strike now** and **Demand surge now** hit the firm chosen in **Events hit** from today (a 10-day
  strike with 30 % of the staff at work; a week of twice the demand).
- **Simulation** tab: the chain (each link's value for the company, green when it improved over the last
  week, red when it worsened) and the social network (click a person to inspect them).
  **Time series**: the two firms side by side; red bands are strikes, purple bands demand surges.
  **Channels**: each channel's mean wait and share of contacts left unanswered (a mean wait over
  every channel would be mostly the email's hours).
  **Inspect**: one customer or one employee, as the model sees them."""),
    "notice": N_("""## THINGS TO NOTICE

- The chain has **delays**: a change of leadership moves employee satisfaction in days, turnover and
  skill in weeks, customer satisfaction and loyalty in months, and profit last.
- Waiting time is not a setting: it **emerges** from staff, their skill and morale, and demand. When the
  queue grows, pressure lowers morale, which lowers productivity, which grows the queue (a vicious circle).
- A good image is a **double edge**: it wins customers but raises expectations, so the same service
  satisfies less.
- In the network, watch clusters of one colour grow: newcomers (ringed) appear next to customers who
  recommend the firm. Detractors talk more than promoters."""),
    "try": N_("""## THINGS TO TRY

- Cut *staff per 1,000 customers* and watch the waiting time, employee satisfaction and turnover. How long
  until profit notices? Is the saving worth it after a year?
- Raise *leadership* or *training* and follow the change along the chain, link by link.
- Press **Strike now** and compare the drop with the recovery: does the company get all its customers back?
  Try again with easy complaints and good recovery.
- Raise *advertising* with poor service, then the other way round. Which keeps customers?
- Load the *network structure* scenarios: does word of mouth spread faster on a small world, a scale-free
  network or a fully mixed market?"""),
    "extend": N_("""## EXTENDING THE MODEL

- Add a third firm, price competition, or customer segments with different expectations.
- Let managers learn: adapt staffing to the queue, or training to turnover.
- Model complaints in more detail (channels, response time) or the emergency playbook after a strike
  (foresee, humanise, prioritise, communicate).
- The model is a Mesa model on numpy arrays (`lealtad.LoyaltyModel`); every parameter lives in one
  schema (`lealtad params`); experiments are TOML files (`lealtad sweep`)."""),
    "related": N_("""## RELATED MODELS

- Siebers, Aickelin, Celia & Clegg (2010), a department-store simulation of staff and customers.
- Rand & Rust (2011), guidelines for agent-based marketing models and an agent-based Bass model.
- NetLogo's *Virus on a Network* and Mesa's *virus on network* example (spreading on a network).
- MIT's *People Express* management flight simulator (hiring, morale, productivity, turnover)."""),
    "credits": N_("""## CREDITS AND REFERENCES

- Heskett, J. L., Jones, T. O., Loveman, G. W., Sasser, W. E. & Schlesinger, L. A. (1994). Putting the
  service-profit chain to work. *Harvard Business Review*, 72(2).
- Harter, J. K., Schmidt, F. L. & Hayes, T. L. (2002). Business-unit-level relationship between employee
  satisfaction, employee engagement, and business outcomes. *Journal of Applied Psychology*, 87(2).
- Hogreve, J., Iseke, A., Derfuss, K. & Eller, T. (2017). The service-profit chain: a meta-analytic test
  of a comprehensive theoretical framework. *Journal of Marketing*, 81(3).
- Oliver, R. L. (1980). A cognitive model of the antecedents and consequences of satisfaction decisions.
  *Journal of Marketing Research*, 17(4).
- Mittal, V., Ross, W. T. & Baldasare, P. M. (1998). The asymmetric impact of negative and positive
  attribute-level performance. *Journal of Marketing*, 62(1).
- Jones, T. O. & Sasser, W. E. (1995). Why satisfied customers defect. *Harvard Business Review*, 73(6).
- Anderson, E. W. (1998). Customer satisfaction and word of mouth. *Journal of Service Research*, 1(1).
- Bass, F. M. (1969). A new product growth for model consumer durables. *Management Science*, 15(5).
- Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988). SERVQUAL. *Journal of Retailing*, 64(1).
- Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, 81(12).
- Oliva, R. & Sterman, J. D. (2001). Cutting corners and working overtime. *Management Science*, 47(7).

Built with Mesa, Solara and plotly. Open source (MIT licence)."""),
}


def about_markdown(lang: str) -> str:
    return "\n\n".join(gettext(text, lang) for text in SECTIONS.values())


def about_html(lang: str) -> str:
    """The About text as HTML, rendered here so the browser needs no Markdown or math library."""
    import markdown

    return markdown.markdown(about_markdown(lang), extensions=["tables"])
