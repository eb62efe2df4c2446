"""Every word the visualisation shows, in Spanish and English.

The parameter schema (``lealtad.params``) stays in English: it is the reference for the command line
and the documentation. Here each parameter gets a short label in both languages and a Spanish
translation of its one-line description (the English one is the schema's own). The competitor's
policies are labelled from one text per lever (``company.x``, ``competitor.x``), so each lever is translated once.

``t(key, lang)`` looks up an interface string; ``param_label``, ``param_help``, ``unit``,
``group_label`` and ``output_label`` cover the schema and the outputs. A missing Spanish text falls
back to English at run time (never a crash in class), and ``missing()`` lists what lacks a
translation, so the tests catch a parameter added without one.
"""

from __future__ import annotations

from ..outputs import OUTPUTS
from ..params import PARAMETERS, param_of

LANGS = ("es", "en")
DEFAULT_LANG = "es"

# ------------------------------------------------------------------------------ interface text
TEXT: dict[str, dict[str, str]] = {
    "es": {
        "title": "lealtad: la cadena servicio-beneficio",
        "subtitle": "Simulación de la lealtad de los clientes",
        "language": "Idioma",
        "tab_simulation": "Simulación",
        "tab_series": "Series temporales",
        "tab_inspect": "Inspeccionar",
        "tab_about": "Acerca del modelo",
        "play": "Reproducir",
        "pause": "Pausa",
        "step": "Avanzar un día",
        "reset": "Reiniciar",
        "strike": "Huelga ahora",
        "surge": "Pico de demanda ahora",
        "speed": "Días por fotograma",
        "seed": "Semilla aleatoria",
        "day": "Día",
        "running": "en marcha",
        "paused": "en pausa",
        "controls": "Controles",
        "parameters": "Parámetros",
        "group": "Grupo de parámetros",
        "preset": "Escenario",
        "preset_none": "(ninguno: valores por defecto)",
        "preset_help": "Carga los cambios de un escenario de los experimentos y reinicia el modelo.",
        "preset_applied": "Escenario «{name}» aplicado; el modelo se ha reiniciado.",
        "applies_at_reset": "Se aplica al pulsar Reiniciar (define el mercado al inicio).",
        "pending_reset": "Cambios pendientes hasta reiniciar: {names}",
        "applied": "«{label}» = {value}: se aplica desde mañana.",
        "invalid": "Valor no válido",
        "message_close": "Cerrar",
        "strike_started": "Huelga en la empresa desde el día {day} durante {days} días.",
        "surge_started": "Pico de demanda en la empresa desde el día {day} durante {days} días (×{factor:g}).",
        "chain_title": "La cadena servicio-beneficio de la empresa (cambio en los últimos 7 días)",
        "chain_up": "mejora",
        "chain_down": "empeora",
        "chain_flat": "estable",
        "network_title": "Red social de clientes",
        "network_sample": "muestra de {shown} de {total} personas",
        "colour_by": "Color según",
        "colour_state": "estado",
        "colour_satisfaction": "satisfacción",
        "state_prospect": "sin empresa (prospecto)",
        "state_company": "cliente de la empresa",
        "state_competitor": "cliente de la competencia",
        "new_this_week": "recién llegado (7 días)",
        "satisfaction": "satisfacción",
        "series_title": "La empresa y su competidor",
        "company": "Empresa",
        "competitor": "Competidor",
        "inspect_customer": "Cliente",
        "inspect_employee": "Empleado",
        "inspect_id": "Número",
        "inspect_random": "Elegir al azar",
        "inspect_kind": "Qué inspeccionar",
        "no_such_agent": "No existe: los números van de 0 a {last}.",
        "field": "Dato",
        "value": "Valor",
        "segment": "Segmento",
        "segment_active": "activo (compra a la empresa)",
        "segment_potential": "potencial (compra a la competencia)",
        "segment_prospect": "prospecto (aún fuera del mercado)",
        "firm": "Empresa",
        "commitment": "Compromiso",
        "image_company": "Imagen de la empresa",
        "image_competitor": "Imagen de la competencia",
        "purchases": "Compras",
        "last_quality": "Calidad del último encuentro",
        "last_wait": "Espera del último encuentro (horas)",
        "contacts": "Contactos en la red",
        "skill": "Habilidad",
        "hires": "Personas que han ocupado el puesto",
        "status": "Situación",
        "vacant": "vacante",
        "working": "trabajando",
        "closed": "puesto cerrado",
        "none": "ninguna",
        "error": "Error",
        "model_error": "El modelo no pudo avanzar: {error}",
        "timing": "cálculo del último paso del modelo: {ms:.0f} ms",
        "kpi_share": "Cuota de mercado",
        "kpi_profit": "Beneficio acumulado",
        "kpi_nps": "NPS",
        "kpi_wait": "Espera media",
        "legend": "Leyenda",
        "at_reset": "al reiniciar",
    },
    "en": {
        "title": "lealtad: the service-profit chain",
        "subtitle": "A simulation of customer loyalty",
        "language": "Language",
        "tab_simulation": "Simulation",
        "tab_series": "Time series",
        "tab_inspect": "Inspect",
        "tab_about": "About the model",
        "play": "Play",
        "pause": "Pause",
        "step": "Step one day",
        "reset": "Reset",
        "strike": "Strike now",
        "surge": "Demand surge now",
        "speed": "Days per frame",
        "seed": "Random seed",
        "day": "Day",
        "running": "running",
        "paused": "paused",
        "controls": "Controls",
        "parameters": "Parameters",
        "group": "Parameter group",
        "preset": "Scenario",
        "preset_none": "(none: default values)",
        "preset_help": "Loads the changes of a scenario from the experiments and resets the model.",
        "preset_applied": "Scenario '{name}' applied; the model was reset.",
        "applies_at_reset": "Applies when you press Reset (it shapes the market at the start).",
        "pending_reset": "Changes waiting for a reset: {names}",
        "applied": "'{label}' = {value}: applies from tomorrow.",
        "invalid": "Invalid value",
        "message_close": "Close",
        "strike_started": "Strike at the company from day {day} for {days} days.",
        "surge_started": "Demand surge at the company from day {day} for {days} days (x{factor:g}).",
        "chain_title": "The company's service-profit chain (change over the last 7 days)",
        "chain_up": "better",
        "chain_down": "worse",
        "chain_flat": "steady",
        "network_title": "Customers' social network",
        "network_sample": "sample of {shown} of {total} people",
        "colour_by": "Colour by",
        "colour_state": "state",
        "colour_satisfaction": "satisfaction",
        "state_prospect": "with neither firm (prospect)",
        "state_company": "the company's customer",
        "state_competitor": "the competitor's customer",
        "new_this_week": "new (last 7 days)",
        "satisfaction": "satisfaction",
        "series_title": "The company and its competitor",
        "company": "Company",
        "competitor": "Competitor",
        "inspect_customer": "Customer",
        "inspect_employee": "Employee",
        "inspect_id": "Number",
        "inspect_random": "Pick at random",
        "inspect_kind": "What to inspect",
        "no_such_agent": "No such agent: numbers run from 0 to {last}.",
        "field": "Field",
        "value": "Value",
        "segment": "Segment",
        "segment_active": "active (buys from the company)",
        "segment_potential": "potential (buys from the competitor)",
        "segment_prospect": "prospect (not yet in the market)",
        "firm": "Firm",
        "commitment": "Commitment",
        "image_company": "Image of the company",
        "image_competitor": "Image of the competitor",
        "purchases": "Purchases",
        "last_quality": "Quality of the last encounter",
        "last_wait": "Wait at the last encounter (hours)",
        "contacts": "Contacts in the network",
        "skill": "Skill",
        "hires": "People who have held the position",
        "status": "Status",
        "vacant": "vacant",
        "working": "working",
        "closed": "position closed",
        "none": "none",
        "error": "Error",
        "model_error": "The model could not go on: {error}",
        "timing": "model computation of the last step: {ms:.0f} ms",
        "kpi_share": "Market share",
        "kpi_profit": "Cumulative profit",
        "kpi_nps": "NPS",
        "kpi_wait": "Mean wait",
        "legend": "Legend",
        "at_reset": "at reset",
    },
}

# ------------------------------------------------------------------------- parameter groups
# The order in which the groups appear in the controls (policies first: they are the levers).
GROUPS: dict[str, dict[str, str]] = {
    "policies": {"es": "Políticas de la empresa", "en": "The company's policies"},
    "competitor": {"es": "Políticas de la competencia", "en": "The competitor's policies"},
    "employees": {"es": "Empleados", "en": "Employees"},
    "customers": {"es": "Clientes", "en": "Customers"},
    "encounter": {"es": "Encuentros (momentos de la verdad)", "en": "Encounters (moments of truth)"},
    "network": {"es": "Red social", "en": "Social network"},
    "word_of_mouth": {"es": "Boca a boca e imagen", "en": "Word of mouth and image"},
    "economics": {"es": "Economía", "en": "Economics"},
    "market": {"es": "Mercado", "en": "Market"},
    "contingencies": {"es": "Contingencias", "en": "Contingencies"},
}

# ------------------------------------------------------------------- parameter labels (short)
# name -> (Spanish label, English label). Competitor policies reuse the company's.
LABELS: dict[str, tuple[str, str]] = {
    "initial_share": ("Cuota inicial", "Initial share"),
    "staff_per_1000": ("Plantilla por 1.000 clientes", "Staff per 1,000 customers"),
    "wage_premium": ("Prima salarial", "Wage premium"),
    "training": ("Formación", "Training"),
    "leadership": ("Liderazgo", "Leadership"),
    "tangibles": ("Elementos tangibles", "Tangibles"),
    "promise": ("Promesa publicitaria", "Advertised promise"),
    "advertising": ("Publicidad", "Advertising"),
    "complaint_ease": ("Facilidad para reclamar", "Ease of complaining"),
    "recovery": ("Recuperación del servicio", "Service recovery"),
    "n_customers": ("Personas en el mercado", "People in the market"),
    "initial_satisfaction": ("Satisfacción inicial", "Initial satisfaction"),
    "purchase_rate": ("Frecuencia de compra", "Purchase rate"),
    "pressure_sensitivity": ("Sensibilidad a la presión", "Sensitivity to pressure"),
    "satisfaction_adjustment": ("Velocidad de ajuste de la satisfacción", "Speed of satisfaction adjustment"),
    "employee_heterogeneity": ("Diversidad de los empleados", "Diversity of employees"),
    "turnover_satisfied": ("Rotación de los satisfechos", "Turnover of the satisfied"),
    "turnover_dissatisfied": ("Rotación de los insatisfechos", "Turnover of the dissatisfied"),
    "hiring_delay": ("Demora en contratar", "Hiring delay"),
    "staffing_review": ("Revisión de plantilla", "Staffing review"),
    "new_hire_skill": ("Habilidad de un recién contratado", "Skill of a new hire"),
    "learning_rate": ("Ritmo de aprendizaje", "Learning rate"),
    "service_minutes": ("Minutos por servicio", "Minutes per service"),
    "skill_productivity": ("Peso de la habilidad en la productividad", "Skill in productivity"),
    "morale_productivity": ("Peso de la moral en la productividad", "Morale in productivity"),
    "opening_hours": ("Horas de apertura", "Opening hours"),
    "wait_tolerance": ("Tolerancia a la espera", "Wait tolerance"),
    "failure_rate": ("Tasa de fallos de un experto", "Expert failure rate"),
    "novice_failure_rate": ("Fallos extra de un novato", "Extra novice failures"),
    "encounter_noise": ("Ruido en la percepción", "Perception noise"),
    "weight_reliability": ("Peso de la fiabilidad", "Weight of reliability"),
    "weight_responsiveness": ("Peso de la capacidad de respuesta", "Weight of responsiveness"),
    "weight_assurance": ("Peso de la seguridad", "Weight of assurance"),
    "weight_empathy": ("Peso de la empatía", "Weight of empathy"),
    "weight_tangibles": ("Peso de los tangibles", "Weight of tangibles"),
    "gain_sensitivity": ("Sensibilidad a las sorpresas buenas", "Sensitivity to good surprises"),
    "loss_sensitivity": ("Sensibilidad a las sorpresas malas", "Sensitivity to bad surprises"),
    "satisfaction_memory": ("Peso del último encuentro", "Weight of the last encounter"),
    "expectation_learning": ("Aprendizaje de expectativas", "Learning of expectations"),
    "churn_max": ("Abandono máximo", "Maximum defection"),
    "churn_midpoint": ("Punto medio del abandono", "Defection midpoint"),
    "churn_width": ("Zona de indiferencia", "Zone of indifference"),
    "failure_weight": ("Peso de un fallo recordado", "Weight of a remembered failure"),
    "choice_noise": ("Azar en la elección de empresa", "Noise in the choice of firm"),
    "failure_forgetting": ("Olvido de los fallos", "Forgetting of failures"),
    "recovery_boost": ("Impulso de una buena recuperación", "Boost of a good recovery"),
    "network": ("Tipo de red", "Kind of network"),
    "network_degree": ("Contactos por persona", "Contacts per person"),
    "rewiring": ("Recableado (mundo pequeño)", "Rewiring (small world)"),
    "network_file": ("Archivo de la red", "Network file"),
    "wom_effect": ("Efecto del boca a boca", "Word-of-mouth effect"),
    "warning_effect": ("Efecto de una advertencia", "Effect of a warning"),
    "talk_promoter": ("Conversación de un promotor", "Talk of a promoter"),
    "talk_passive": ("Conversación de un pasivo", "Talk of a passive"),
    "talk_detractor": ("Conversación de un detractor", "Talk of a detractor"),
    "image_inertia": ("Inercia de la imagen", "Image inertia"),
    "image_prior": ("Imagen sin información", "Image without news"),
    "image_decay": ("Desvanecimiento de la imagen", "Image decay"),
    "ad_persuasion": ("Persuasión publicitaria", "Advertising persuasion"),
    "price": ("Margen por compra", "Margin per purchase"),
    "daily_wage": ("Salario diario", "Daily wage"),
    "training_cost": ("Coste de la formación", "Training cost"),
    "hiring_cost": ("Coste de contratar", "Hiring cost"),
    "recovery_cost": ("Coste de una recuperación", "Recovery cost"),
    "retention_cost": ("Coste de retener", "Retention cost"),
    "acquisition_cost_ratio": ("Captar / retener", "Acquire / retain"),
    "advertising_cost": ("Coste de la publicidad", "Advertising cost"),
    "strike_day": ("Día de la huelga", "Strike day"),
    "strike_days": ("Duración de la huelga", "Strike length"),
    "strike_capacity": ("Plantilla que trabaja en huelga", "Staff working during a strike"),
    "surge_day": ("Día del pico de demanda", "Surge day"),
    "surge_days": ("Duración del pico", "Surge length"),
    "surge_factor": ("Intensidad del pico", "Surge intensity"),
    "crisis_communication": ("Comunicación en la crisis", "Crisis communication"),
    "image_attraction": ("Atracción de la imagen", "Image attraction"),
    "customer_heterogeneity": ("Diversidad de los clientes", "Diversity of customers"),
}

# -------------------------------------------------- Spanish descriptions (English: the schema's)
DESCRIPTIONS_ES: dict[str, str] = {
    "initial_share": "Parte del mercado que compra a la empresa el día 0",
    "staff_per_1000": "Ratio de plantilla de primera línea, que se mantiene en cada revisión; capacidad de atender y, por tanto, tiempo de respuesta",
    "wage_premium": "Salario por encima (o por debajo) del salario de mercado",
    "training": "Esfuerzo de formación: eleva la calidad interna y acelera el aprendizaje",
    "leadership": "Calidad del liderazgo y del empoderamiento (la base de la cadena)",
    "tangibles": "Instalaciones, herramientas y apariencia (tangibles de SERVQUAL)",
    "promise": "Calidad que promete la publicidad; eleva la imagen y las expectativas",
    "advertising": "Probabilidad diaria de que la publicidad gane a un prospecto (p de Bass)",
    "complaint_ease": "Probabilidad de que un cliente insatisfecho reclame (los canales fáciles la elevan)",
    "recovery": "Probabilidad de que una reclamación se resuelva bien (recuperación del servicio)",
    "n_customers": "Personas en el mercado (prospectos y clientes de ambas empresas)",
    "initial_satisfaction": "Satisfacción media de los clientes iniciales",
    "purchase_rate": "Probabilidad de que un cliente activo compre (tenga un encuentro) en un día",
    "pressure_sensitivity": "Cuánto reduce la presión de trabajo (peticiones en espera por empleado) la satisfacción del empleado",
    "satisfaction_adjustment": "Velocidad con que la satisfacción del empleado se acerca a su objetivo",
    "employee_heterogeneity": "Dispersión de la disposición personal de los empleados",
    "turnover_satisfied": "Tasa de abandono de un empleado plenamente satisfecho",
    "turnover_dissatisfied": "Tasa de abandono de un empleado plenamente insatisfecho",
    "hiring_delay": "Días que un puesto queda vacío tras una baja o tras crearse",
    "staffing_review": "Días entre las revisiones que ajustan la plantilla a la clientela",
    "new_hire_skill": "Habilidad de un recién contratado (inicio de la curva de aprendizaje)",
    "learning_rate": "Parte de la brecha de habilidad que se cierra cada día sin formación",
    "service_minutes": "Tiempo medio de servicio de un empleado experto con moral neutra",
    "skill_productivity": "Productividad que pierde un novato frente a un experto",
    "morale_productivity": "Productividad que aporta la moral (por unidad sobre el neutro 0,5)",
    "opening_hours": "Horas de trabajo al día; las colas pasan al día siguiente",
    "wait_tolerance": "Espera a la que la capacidad de respuesta ha caído a 1/e",
    "failure_rate": "Probabilidad de que falle el servicio de un experto (fiabilidad)",
    "novice_failure_rate": "Probabilidad extra de fallo de un novato completo",
    "encounter_noise": "Variación personal en la calidad percibida",
    "weight_reliability": "Peso de la fiabilidad (resolver sin fallos)",
    "weight_responsiveness": "Peso de la capacidad de respuesta (esperas cortas)",
    "weight_assurance": "Peso de la seguridad (la competencia del empleado)",
    "weight_empathy": "Peso de la empatía (la actitud del empleado)",
    "weight_tangibles": "Peso de los tangibles (instalaciones)",
    "gain_sensitivity": "Satisfacción ganada por unidad de sorpresa positiva",
    "loss_sensitivity": "Satisfacción perdida por unidad de sorpresa negativa",
    "satisfaction_memory": "Peso del último encuentro en la satisfacción acumulada",
    "expectation_learning": "Peso del último encuentro en la imagen que uno tiene de la empresa",
    "churn_max": "Probabilidad de abandonar tras una compra, en plena zona de deserción",
    "churn_midpoint": "Compromiso al que la probabilidad de abandono es la mitad de su máximo",
    "churn_width": "Anchura de la zona de indiferencia (cuán abrupta es la lealtad)",
    "failure_weight": "Compromiso perdido por cada fallo del servicio recordado",
    "choice_noise": "Cuán difusa es la elección de quien se va entre las otras empresas y dejar el mercado: 0 elige la mejor opción; más, un logit multinomial de esa escala",
    "failure_forgetting": "Ritmo al que se olvidan los fallos",
    "recovery_boost": "Cuánto eleva una buena recuperación la satisfacción sobre la expectativa (primer fallo)",
    "network": "Red social de los clientes",
    "network_degree": "Número medio de contactos por persona",
    "rewiring": "Probabilidad de recableado del mundo pequeño",
    "network_file": "Lista de aristas (.txt/.csv/.edgelist) o archivo GraphML cuando network=file",
    "wom_effect": "Probabilidad de adopción con todo el vecindario recomendando (q de Bass)",
    "warning_effect": "Disuasión de una advertencia frente a una recomendación",
    "talk_promoter": "Probabilidad de que un promotor hable de la empresa en un día",
    "talk_passive": "Probabilidad de que un cliente pasivo hable de la empresa en un día",
    "talk_detractor": "Probabilidad de que un detractor hable de la empresa en un día",
    "image_inertia": "Peso de la imagen actual frente a los mensajes nuevos",
    "image_prior": "Imagen que tiene una empresa entre quienes no han oído nada",
    "image_decay": "Ritmo al que las imágenes vuelven al valor inicial sin noticias",
    "ad_persuasion": "Fuerza con que la publicidad acerca las imágenes a la promesa",
    "price": "Margen bruto de una compra",
    "daily_wage": "Salario de mercado de un empleado de primera línea",
    "training_cost": "Coste del esfuerzo de formación completo (formación = 1)",
    "hiring_cost": "Coste de reclutar e incorporar a un sustituto",
    "recovery_cost": "Coste de resolver una reclamación",
    "retention_cost": "Coste de mantener a un cliente activo durante un año",
    "acquisition_cost_ratio": "Coste de ganar un cliente como múltiplo del coste de retenerlo",
    "advertising_cost": "Coste en medios de una intensidad publicitaria de 0,001 por persona del mercado y día",
    "strike_day": "Día en que empieza una huelga o avería en la empresa (-1: ninguna)",
    "strike_days": "Duración de la huelga o avería",
    "strike_capacity": "Parte de la plantilla de la empresa que trabaja durante la huelga",
    "surge_day": "Día en que empieza un pico de demanda en la empresa (-1: ninguno)",
    "surge_days": "Duración del pico de demanda",
    "surge_factor": "Demanda durante el pico respecto a la normal",
    "crisis_communication": "Plan de emergencia: explicar una contingencia hace que sus esperas parezcan más cortas, "
                            "durante ella y otro tanto después",
    "customer_heterogeneity": "Dispersión de la indulgencia duradera de los clientes: unos valoran mejor que otros el mismo servicio",
    "image_attraction": "Cuánto multiplica la imagen que un prospecto tiene de una empresa su probabilidad de elegirla",
}

# ---------------------------------------------------------------------------- units (Spanish)
UNITS_ES: dict[str, str] = {
    "image units (logit scale)": "unidades de imagen (escala del logit)",
    "share of market": "parte del mercado",
    "employees per 1,000 active customers": "empleados por 1.000 clientes activos",
    "fraction of market wage": "fracción del salario de mercado",
    "share of best practice": "parte de la mejor práctica",
    "index 0-1": "índice 0-1",
    "quality 0-1": "calidad 0-1",
    "per day": "por día",
    "probability": "probabilidad",
    "people": "personas",
    "0-1": "0-1",
    "satisfaction per unit pressure": "satisfacción por unidad de presión",
    "sd, 0-1 scale": "desviación típica, escala 0-1",
    "per year": "por año",
    "days": "días",
    "minutes": "minutos",
    "hours per day": "horas al día",
    "hours": "horas",
    "weight": "peso",
    "per unit disconfirmation": "por unidad de disconfirmación",
    "per purchase": "por compra",
    "commitment 0-1": "compromiso 0-1",
    "commitment per failure": "compromiso por fallo",
    "kind": "tipo",
    "contacts": "contactos",
    "path": "ruta",
    "relative to a recommendation": "respecto a una recomendación",
    "messages": "mensajes",
    "image per unit advertising": "imagen por unidad de publicidad",
    "EUR per purchase": "EUR por compra",
    "EUR per employee-day": "EUR por empleado y día",
    "EUR per hire": "EUR por contratación",
    "EUR per recovery": "EUR por recuperación",
    "EUR per customer-year": "EUR por cliente y año",
    "x retention cost": "× coste de retención",
    "EUR per person-day at advertising = 0.001": "EUR por persona y día con publicidad = 0,001",
    "day": "día",
    "share of staff": "parte de la plantilla",
    "x normal demand": "× demanda normal",
    "elasticity": "elasticidad",
    "share of waiting forgiven": "parte de la espera perdonada",
}

# ------------------------------------------------------------------------- outputs (series)
OUTPUT_LABELS: dict[str, tuple[str, str]] = {
    "internal_quality": ("Calidad del servicio interno", "Internal service quality"),
    "employee_satisfaction": ("Satisfacción de los empleados", "Employee satisfaction"),
    "employee_skill": ("Habilidad de los empleados", "Employee skill"),
    "staff": ("Plantilla trabajando", "Staff at work"),
    "quits": ("Bajas de empleados", "Employee quits"),
    "utilisation": ("Ocupación de la plantilla", "Staff utilisation"),
    "wait_mean": ("Espera media (horas)", "Mean wait (hours)"),
    "wait_p90": ("Espera, percentil 90 (horas)", "Wait, 90th percentile (hours)"),
    "encounters": ("Encuentros", "Encounters"),
    "failures": ("Fallos del servicio", "Service failures"),
    "service_quality": ("Calidad percibida del servicio", "Perceived service quality"),
    "dissatisfied": ("Encuentros insatisfactorios", "Dissatisfying encounters"),
    "complaints": ("Reclamaciones", "Complaints"),
    "recoveries": ("Recuperaciones", "Recoveries"),
    "customer_satisfaction": ("Satisfacción de los clientes", "Customer satisfaction"),
    "nps": ("NPS (puntos)", "NPS (points)"),
    "active": ("Clientes activos", "Active customers"),
    "market_share": ("Cuota de mercado", "Market share"),
    "prospects": ("Prospectos", "Prospects"),
    "acquired": ("Clientes captados", "Customers acquired"),
    "won_from_rival": ("Ganados al rival", "Won from the rival"),
    "lost_to_rival": ("Perdidos ante el rival", "Lost to the rival"),
    "exits": ("Salidas del mercado", "Exits from the market"),
    "recommendations": ("Recomendaciones oídas", "Recommendations heard"),
    "warnings": ("Advertencias oídas", "Warnings heard"),
    "image": ("Imagen", "Image"),
    "revenue": ("Ingresos (EUR/día)", "Revenue (EUR/day)"),
    "costs": ("Costes (EUR/día)", "Costs (EUR/day)"),
    "profit": ("Beneficio (EUR/día)", "Profit (EUR/day)"),
    "cumulative_profit": ("Beneficio acumulado (EUR)", "Cumulative profit (EUR)"),
    # derived series shown by the visualisation
    "turnover": ("Rotación de empleados (%/año)", "Employee turnover (%/year)"),
    "profit_week": ("Beneficio, media 7 días (EUR/día)", "Profit, 7-day mean (EUR/day)"),
}

# -------------------------------------------------------------------- links of the chain
CHAIN_LABELS: dict[str, tuple[str, str]] = {
    "leadership": ("1. Liderazgo y calidad interna", "1. Leadership and internal quality"),
    "employee_satisfaction": ("2. Satisfacción del empleado", "2. Employee satisfaction"),
    "employee_loyalty": ("3. Lealtad del empleado", "3. Employee loyalty"),
    "productivity": ("4. Productividad", "4. Productivity"),
    "service_value": ("5. Valor del servicio", "5. Service value"),
    "customer_satisfaction": ("6. Satisfacción del cliente", "6. Customer satisfaction"),
    "customer_loyalty": ("7. Lealtad del cliente", "7. Customer loyalty"),
    "profit": ("8. Beneficio y crecimiento", "8. Profit and growth"),
}
CHAIN_DETAILS: dict[str, tuple[str, str]] = {
    "leadership": ("calidad interna", "internal quality"),
    "employee_satisfaction": ("satisfacción media", "mean satisfaction"),
    "employee_loyalty": ("rotación %/año", "turnover %/year"),
    "productivity": ("habilidad · espera h", "skill · wait h"),
    "service_value": ("calidad percibida", "perceived quality"),
    "customer_satisfaction": ("satisfacción media", "mean satisfaction"),
    "customer_loyalty": ("NPS", "NPS"),
    "profit": ("EUR/día · cuota", "EUR/day · share"),
}


# ---------------------------------------------------------------------------------- lookups
def _index(lang: str) -> int:
    return 0 if lang == "es" else 1


def t(key: str, lang: str, **values) -> str:
    """Interface text ``key`` in ``lang``, formatted with ``values``; English if Spanish lacks it."""
    text = TEXT.get(lang, {}).get(key) or TEXT["en"].get(key, key)
    return text.format(**values) if values else text


def _base(name: str) -> tuple[str, bool]:
    """('staff_per_1000', True) for 'competitor.staff_per_1000': every firm's levers reuse one text;
    True for a firm other than the company."""
    firm, _, base = name.rpartition(".")
    return base, bool(firm) and firm != "company"


def _firm(name: str) -> str:
    return name.rpartition(".")[0]


def param_label(name: str, lang: str) -> str:
    base, rival = _base(name)
    label = LABELS.get(base, (base, base))[_index(lang)]
    return label


def param_help(name: str, lang: str) -> str:
    """One-line help: the description in ``lang`` (the schema's own in English)."""
    base, rival = _base(name)
    if lang == "en" or base not in DESCRIPTIONS_ES:
        return param_of(name).description
    text = DESCRIPTIONS_ES[base]
    return "Competencia: " + text[0].lower() + text[1:] if rival else text


def unit(name: str, lang: str) -> str:
    u = param_of(name).unit
    return UNITS_ES.get(u, u) if lang == "es" else u


def group_of(name: str) -> str:
    """The control group a parameter is shown in (the competitor's levers get a group of their own)."""
    firm = _firm(name)
    return firm if firm and firm != "company" else param_of(name).group


def group_label(group: str, lang: str) -> str:
    return GROUPS.get(group, {}).get(lang, group)


def output_label(name: str, lang: str) -> str:
    return OUTPUT_LABELS.get(name, (name, name))[_index(lang)]


def chain_label(link: str, lang: str) -> str:
    return CHAIN_LABELS[link][_index(lang)]


def chain_detail(link: str, lang: str) -> str:
    return CHAIN_DETAILS[link][_index(lang)]


def allowed(name: str, lang: str) -> str:
    """What a parameter accepts, in ``lang`` (the schema's Param.allowed() is the English)."""
    p = param_of(name)
    if lang == "en":
        return p.allowed()
    if p.choices:
        return "uno de " + ", ".join(p.choices)
    if p.kind is bool:
        return "verdadero o falso"
    if p.kind is str:
        return "un texto"
    kind = "un número entero" if p.kind is int else "un número"
    return f"{kind} de {p.low:g} a {p.high:g}"


def value_error(name: str, raw, error: str, lang: str) -> str:
    """The message for a refused value: the field, the value and what is allowed, in ``lang``. A
    problem that involves other parameters (two shares adding up to more than the market) keeps the
    schema's own English words."""
    if error.startswith(f"parameter '{name}': ") and "is not allowed" in error:
        if lang == "en":
            return f"{param_label(name, lang)}: {raw!r} is not allowed; expected {allowed(name, lang)}"
        return f"{param_label(name, lang)}: «{raw}» no está permitido; se espera {allowed(name, lang)}"
    return f"{param_label(name, lang)}: {error}"


def missing() -> list[str]:
    """Everything shown that lacks a translation (empty when complete): for the tests."""
    gaps = [f"TEXT[{lang}][{k}]" for lang in LANGS for k in TEXT["es"].keys() ^ TEXT["en"].keys() if k not in TEXT[lang]]
    for name, p in PARAMETERS.items():
        base, _ = _base(name)
        if base not in LABELS:
            gaps.append(f"LABELS[{base}]")
        if base not in DESCRIPTIONS_ES:
            gaps.append(f"DESCRIPTIONS_ES[{base}]")
        if p.unit not in UNITS_ES:
            gaps.append(f"UNITS_ES[{p.unit!r}]")
        if group_of(name) not in GROUPS:
            gaps.append(f"GROUPS[{group_of(name)}]")
    gaps += [f"OUTPUT_LABELS[{o.name}]" for o in OUTPUTS if o.name not in OUTPUT_LABELS]
    return sorted(set(gaps))
