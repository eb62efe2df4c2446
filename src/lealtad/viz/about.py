"""The "About the model" tab, in the tradition of the NetLogo Models Library's Info tab, in Spanish
and English (Markdown; the app renders it to HTML on the server, so no math or CDN script is needed)."""

from __future__ import annotations

SECTIONS = ("what", "how", "use", "notice", "try", "extend", "related", "credits")

ABOUT: dict[str, dict[str, str]] = {
    "en": {
        "what": """## WHAT IS IT?

lealtad ("loyalty" in Spanish) simulates the **service-profit chain** (Heskett, Jones, Loveman, Sasser
& Schlesinger 1994): good leadership and internal service make employees satisfied; satisfied
employees stay, learn and serve better; better service satisfies customers; satisfied customers stay,
buy again and tell others; and loyal customers bring profit and new customers. *An unhappy employee
makes unhappy customers.*

Two firms, **the company** (blue) and **its competitor** (orange), compete for one market of people
who are *prospects* (buying from neither), customers of the company, or customers of the competitor.""",
        "how": """## HOW IT WORKS

Every simulated day follows the chain, in this order:

1. **Management** sets the internal service quality from leadership, training and pay.
2. **Employees** grow more or less satisfied with internal quality and work pressure (waiting customers
   per employee); dissatisfied employees quit more often; their position stays empty for a while and a
   novice takes it, who learns with time and training.
3. **Demand**: prospects adopt a firm through advertising or word of mouth (Bass 1969); customers come
   to buy at their usual rhythm.
4. **Encounters** (the *moments of truth*): each firm serves its queue first come, first served; the
   quality of each encounter depends on reliability (no failure), responsiveness (short wait), the
   employee's competence and attitude, and the tangibles (SERVQUAL; Parasuraman et al. 1988).
5. **Customers** compare that quality with what they expected from the firm's image (Oliver 1980);
   bad surprises weigh more than good ones (Mittal et al. 1998); a few dissatisfied customers complain
   and some complaints are recovered; customers deep in the zone of defection leave (Jones & Sasser 1995),
   to the rival if they expect better there.
6. **Word of mouth**: promoters and, even more, detractors talk to their contacts in the social network
   (Anderson 1998); what people hear moves their image of each firm.
7. **Image** fades without news and advertising pulls it toward the firm's promise.
8. **Economics**: revenue from purchases; costs of wages, training, hiring, complaint recovery,
   retention, acquisition and advertising.""",
        "use": """## HOW TO USE IT

- **Play** runs the days one after another; **Pause** stops; **Step one day** advances a single day;
  **Reset** starts again from day 0 (with any change to the market that was waiting for it).
- **Scenario** loads one of the shipped experiments' scenarios (for example *better leadership* or a
  *10-day strike*) and resets.
- **Parameter group** chooses which sliders you see: the company's policies, the competitor's, employees,
  customers, the network, economics... Each control shows its unit and a one-line help. Policies apply
  from tomorrow; parameters that shape the market (its size, the network, initial shares) apply at reset.
  A value that is not allowed shows a message in red and changes nothing.
- **Strike now** and **Demand surge now** hit the company today (their length and strength are in the
  *Contingencies* group).
- **Simulation** tab: the chain (each link's value for the company, green when it improved over the last
  week, red when it worsened) and the social network (click a person to inspect them).
  **Time series**: the two firms side by side; red bands are strikes, purple bands demand surges.
  **Inspect**: one customer or one employee, as the model sees them.""",
        "notice": """## THINGS TO NOTICE

- The chain has **delays**: a change of leadership moves employee satisfaction in days, turnover and
  skill in weeks, customer satisfaction and loyalty in months, and profit last.
- Waiting time is not a setting: it **emerges** from staff, their skill and morale, and demand. When the
  queue grows, pressure lowers morale, which lowers productivity, which grows the queue (a vicious circle).
- A good image is a **double edge**: it wins customers but raises expectations, so the same service
  satisfies less.
- In the network, watch clusters of one colour grow: newcomers (ringed) appear next to customers who
  recommend the firm. Detractors talk more than promoters.""",
        "try": """## THINGS TO TRY

- Cut *staff per 1,000 customers* and watch the waiting time, employee satisfaction and turnover. How long
  until profit notices? Is the saving worth it after a year?
- Raise *leadership* or *training* and follow the change along the chain, link by link.
- Press **Strike now** and compare the drop with the recovery: does the company get all its customers back?
  Try again with easy complaints and good recovery.
- Raise *advertising* with poor service, then the other way round. Which keeps customers?
- Load the *network structure* scenarios: does word of mouth spread faster on a small world, a scale-free
  network or a fully mixed market?""",
        "extend": """## EXTENDING THE MODEL

- Add a third firm, price competition, or customer segments with different expectations.
- Let managers learn: adapt staffing to the queue, or training to turnover.
- Model complaints in more detail (channels, response time) or the emergency playbook after a strike
  (foresee, humanise, prioritise, communicate).
- The model is a Mesa model on numpy arrays (`lealtad.LoyaltyModel`); every parameter lives in one
  schema (`lealtad params`); experiments are TOML files (`lealtad sweep`).""",
        "related": """## RELATED MODELS

- Siebers, Aickelin, Celia & Clegg (2010), a department-store simulation of staff and customers.
- Rand & Rust (2011), guidelines for agent-based marketing models and an agent-based Bass model.
- NetLogo's *Virus on a Network* and Mesa's *virus on network* example (spreading on a network).
- MIT's *People Express* management flight simulator (hiring, morale, productivity, turnover).""",
        "credits": """## CREDITS AND REFERENCES

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

Built with Mesa, Solara and plotly. Open source (MIT licence).""",
    },
    "es": {
        "what": """## ¿QUÉ ES?

lealtad simula la **cadena servicio-beneficio** (Heskett, Jones, Loveman, Sasser y Schlesinger 1994):
un buen liderazgo y un buen servicio interno satisfacen a los empleados; los empleados satisfechos se
quedan, aprenden y atienden mejor; un servicio mejor satisface a los clientes; los clientes satisfechos
se quedan, vuelven a comprar y se lo cuentan a otros; y los clientes leales traen beneficio y nuevos
clientes. *Un empleado descontento hace clientes descontentos.*

Dos empresas, **la empresa** (azul) y **su competidor** (naranja), compiten por un mismo mercado de
personas que son *prospectos* (no compran a ninguna), clientes de la empresa o clientes de la competencia.""",
        "how": """## CÓMO FUNCIONA

Cada día simulado sigue la cadena, en este orden:

1. **La dirección** fija la calidad del servicio interno a partir del liderazgo, la formación y el salario.
2. **Los empleados** están más o menos satisfechos según la calidad interna y la presión de trabajo
   (clientes esperando por empleado); los insatisfechos se van más a menudo; su puesto queda vacío un
   tiempo y lo ocupa un novato, que aprende con el tiempo y la formación.
3. **Demanda**: los prospectos eligen una empresa por la publicidad o el boca a boca (Bass 1969); los
   clientes vienen a comprar a su ritmo habitual.
4. **Encuentros** (los *momentos de la verdad*): cada empresa atiende su cola por orden de llegada; la
   calidad de cada encuentro depende de la fiabilidad (sin fallos), la capacidad de respuesta (espera
   corta), la competencia y la actitud del empleado y los elementos tangibles (SERVQUAL; Parasuraman y
   otros 1988).
5. **Los clientes** comparan esa calidad con lo que esperaban por la imagen de la empresa (Oliver 1980);
   las malas sorpresas pesan más que las buenas (Mittal y otros 1998); unos pocos insatisfechos reclaman
   y algunas reclamaciones se resuelven bien; los clientes en la zona de deserción se van (Jones y Sasser
   1995), al rival si esperan algo mejor de él.
6. **Boca a boca**: los promotores y, todavía más, los detractores hablan con sus contactos de la red
   social (Anderson 1998); lo que se oye cambia la imagen de cada empresa.
7. **La imagen** se desvanece sin noticias y la publicidad la acerca a la promesa de la empresa.
8. **Economía**: ingresos por compras; costes de salarios, formación, contratación, recuperación de
   reclamaciones, retención, captación y publicidad.""",
        "use": """## CÓMO USARLO

- **Reproducir** hace avanzar los días uno tras otro; **Pausa** lo detiene; **Avanzar un día** avanza un
  solo día; **Reiniciar** vuelve al día 0 (con los cambios del mercado que estaban esperando).
- **Escenario** carga uno de los escenarios de los experimentos incluidos (por ejemplo *mejor liderazgo*
  o una *huelga de 10 días*) y reinicia.
- **Grupo de parámetros** elige qué controles se ven: políticas de la empresa, de la competencia,
  empleados, clientes, red, economía... Cada control muestra su unidad y una línea de ayuda. Las
  políticas se aplican desde el día siguiente; lo que define el mercado (su tamaño, la red, las cuotas
  iniciales) se aplica al reiniciar. Un valor no permitido muestra un mensaje en rojo y no cambia nada.
- **Huelga ahora** y **Pico de demanda ahora** golpean a la empresa hoy (su duración e intensidad están
  en el grupo *Contingencias*).
- Pestaña **Simulación**: la cadena (el valor de cada eslabón para la empresa, en verde si mejoró en la
  última semana y en rojo si empeoró) y la red social (haz clic en una persona para inspeccionarla).
  **Series temporales**: las dos empresas lado a lado; las bandas rojas son huelgas y las moradas, picos
  de demanda. **Inspeccionar**: un cliente o un empleado, tal como los ve el modelo.""",
        "notice": """## QUÉ OBSERVAR

- La cadena tiene **retrasos**: un cambio de liderazgo mueve la satisfacción de los empleados en días,
  la rotación y la habilidad en semanas, la satisfacción y la lealtad de los clientes en meses, y el
  beneficio al final.
- El tiempo de espera no es un ajuste: **surge** de la plantilla, su habilidad y su moral, y de la
  demanda. Cuando la cola crece, la presión baja la moral, que baja la productividad, que hace crecer la
  cola (un círculo vicioso).
- Una buena imagen es un **arma de doble filo**: gana clientes pero eleva las expectativas, así que el
  mismo servicio satisface menos.
- En la red, mira cómo crecen grupos de un mismo color: los recién llegados (con un anillo) aparecen
  junto a clientes que recomiendan la empresa. Los detractores hablan más que los promotores.""",
        "try": """## QUÉ PROBAR

- Reduce la *plantilla por 1.000 clientes* y observa la espera, la satisfacción de los empleados y la
  rotación. ¿Cuánto tarda el beneficio en notarlo? ¿Compensa el ahorro al cabo de un año?
- Sube el *liderazgo* o la *formación* y sigue el cambio a lo largo de la cadena, eslabón a eslabón.
- Pulsa **Huelga ahora** y compara la caída con la recuperación: ¿recupera la empresa a todos sus
  clientes? Prueba de nuevo con reclamaciones fáciles y buena recuperación.
- Sube la *publicidad* con un servicio pobre, y luego al revés. ¿Qué retiene a los clientes?
- Carga los escenarios de *estructura de la red*: ¿se difunde más rápido el boca a boca en un mundo
  pequeño, en una red libre de escala o en un mercado totalmente mezclado?""",
        "extend": """## CÓMO AMPLIAR EL MODELO

- Añadir una tercera empresa, competencia en precios o segmentos de clientes con expectativas distintas.
- Hacer que los directivos aprendan: ajustar la plantilla a la cola o la formación a la rotación.
- Detallar las reclamaciones (canales, tiempo de respuesta) o el plan de emergencia tras una huelga
  (prever, humanizar, priorizar, comunicar).
- El modelo es un modelo de Mesa sobre arrays de numpy (`lealtad.LoyaltyModel`); todos los parámetros
  están en un solo esquema (`lealtad params`); los experimentos son archivos TOML (`lealtad sweep`).""",
        "related": """## MODELOS RELACIONADOS

- Siebers, Aickelin, Celia y Clegg (2010), simulación de personal y clientes en unos grandes almacenes.
- Rand y Rust (2011), pautas para modelos de marketing basados en agentes y un modelo de Bass con agentes.
- *Virus on a Network* de NetLogo y el ejemplo *virus on network* de Mesa (difusión en una red).
- El simulador de gestión *People Express* del MIT (contratación, moral, productividad, rotación).""",
        "credits": """## CRÉDITOS Y REFERENCIAS

- Heskett, J. L., Jones, T. O., Loveman, G. W., Sasser, W. E. y Schlesinger, L. A. (1994). Putting the
  service-profit chain to work. *Harvard Business Review*, 72(2).
- Harter, J. K., Schmidt, F. L. y Hayes, T. L. (2002). Business-unit-level relationship between employee
  satisfaction, employee engagement, and business outcomes. *Journal of Applied Psychology*, 87(2).
- Hogreve, J., Iseke, A., Derfuss, K. y Eller, T. (2017). The service-profit chain: a meta-analytic test
  of a comprehensive theoretical framework. *Journal of Marketing*, 81(3).
- Oliver, R. L. (1980). A cognitive model of the antecedents and consequences of satisfaction decisions.
  *Journal of Marketing Research*, 17(4).
- Mittal, V., Ross, W. T. y Baldasare, P. M. (1998). The asymmetric impact of negative and positive
  attribute-level performance. *Journal of Marketing*, 62(1).
- Jones, T. O. y Sasser, W. E. (1995). Why satisfied customers defect. *Harvard Business Review*, 73(6).
- Anderson, E. W. (1998). Customer satisfaction and word of mouth. *Journal of Service Research*, 1(1).
- Bass, F. M. (1969). A new product growth for model consumer durables. *Management Science*, 15(5).
- Parasuraman, A., Zeithaml, V. A. y Berry, L. L. (1988). SERVQUAL. *Journal of Retailing*, 64(1).
- Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, 81(12).
- Oliva, R. y Sterman, J. D. (2001). Cutting corners and working overtime. *Management Science*, 47(7).

Hecho con Mesa, Solara y plotly. Código abierto (licencia MIT).""",
    },
}


def about_markdown(lang: str) -> str:
    text = ABOUT.get(lang, ABOUT["en"])
    return "\n\n".join(text[s] for s in SECTIONS)


def about_html(lang: str) -> str:
    """The About text as HTML, rendered here so the browser needs no Markdown or math library."""
    import markdown

    return markdown.markdown(about_markdown(lang), extensions=["tables"])
