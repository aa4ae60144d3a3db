/**
 * The "Job offers" block in the editor: its settings in the sidebar, a summary in the page.
 * Rendered on the server (offres-emploi.php), so the post holds no script. No build step: it
 * uses WordPress' own globals.
 */
(function (blocks, element, blockEditor, components, i18n) {
  var el = element.createElement;
  var __ = i18n.__;
  var InspectorControls = blockEditor.InspectorControls;
  var useBlockProps = blockEditor.useBlockProps;
  var PanelBody = components.PanelBody;
  var TextControl = components.TextControl;
  var SelectControl = components.SelectControl;
  var ToggleControl = components.ToggleControl;
  var Placeholder = components.Placeholder;

  /** Sets the attribute `name` to the value a control gives. */
  function setter(props, name) {
    return function (value) {
      var change = {};
      change[name] = value;
      props.setAttributes(change);
    };
  }

  function text(props, name, label, help) {
    return el(TextControl, {
      label: label,
      help: help,
      value: props.attributes[name],
      onChange: setter(props, name),
    });
  }

  function toggle(props, name, label) {
    return el(ToggleControl, {
      label: label,
      checked: props.attributes[name],
      onChange: setter(props, name),
    });
  }

  function select(props, name, label, options) {
    return el(SelectControl, {
      label: label,
      value: props.attributes[name],
      options: options,
      onChange: setter(props, name),
    });
  }

  function summary(a) {
    var place = a.commune ? __('commune', 'offres-emploi') + ' ' + a.commune + (a.rayon ? ', ' + a.rayon + ' km' : '')
      : a.epci ? __('intercommunality', 'offres-emploi') + ' ' + a.epci
      : a.departement ? __('département', 'offres-emploi') + ' ' + a.departement
      : __('the site\'s territory', 'offres-emploi');
    return __('Job offers near', 'offres-emploi') + ' ' + place + (a['mots-cles'] ? ' · « ' + a['mots-cles'] + ' »' : '');
  }

  blocks.registerBlockType('offres-emploi/widget', {
    edit: function (props) {
      var a = props.attributes;
      return el('div', useBlockProps(),
        el(InspectorControls, null,
          el(PanelBody, { title: __('Territory', 'offres-emploi') },
            text(props, 'commune', __('Commune (INSEE code)', 'offres-emploi'), __('e.g. 35238 for Rennes', 'offres-emploi')),
            text(props, 'rayon', __('Radius (km)', 'offres-emploi')),
            text(props, 'epci', __('Intercommunality (SIREN)', 'offres-emploi')),
            text(props, 'departement', __('Département', 'offres-emploi')),
            toggle(props, 'verrouiller-lieu', __('Residents cannot change the place', 'offres-emploi'))),
          el(PanelBody, { title: __('Search', 'offres-emploi'), initialOpen: false },
            text(props, 'mots-cles', __('Keywords', 'offres-emploi')),
            text(props, 'metier', __('Métier (ROME code)', 'offres-emploi')),
            text(props, 'types-contrat', __('Contract types (e.g. CDI,CDD)', 'offres-emploi')),
            toggle(props, 'marche', __('Show the local job market', 'offres-emploi')),
            toggle(props, 'evenements', __('Show the coming job events', 'offres-emploi'))),
          el(PanelBody, { title: __('Filters and public', 'offres-emploi'), initialOpen: false },
            el('p', null, __('Pages for one public: set one of the three first lists.', 'offres-emploi')),
            select(props, 'alternance', __('Work-study', 'offres-emploi'), [
              { value: '', label: __('Any contract', 'offres-emploi') },
              { value: 'true', label: __('Work-study only (apprenticeship, professionalisation)', 'offres-emploi') },
            ]),
            select(props, 'handi-engage', __('Disability', 'offres-emploi'), [
              { value: '', label: __('All employers', 'offres-emploi') },
              { value: 'true', label: __('Disability-committed employers and adapted companies', 'offres-emploi') },
            ]),
            select(props, 'manque-candidats', __('Candidates', 'offres-emploi'), [
              { value: '', label: __('All offers', 'offres-emploi') },
              { value: 'true', label: __('Offers lacking candidates', 'offres-emploi') },
            ]),
            select(props, 'qualification', __('Level', 'offres-emploi'), [
              { value: '', label: __('Any level', 'offres-emploi') },
              { value: 'cadre', label: __('Cadre', 'offres-emploi') },
              { value: 'non-cadre', label: __('Non-cadre', 'offres-emploi') },
            ]),
            text(props, 'secteurs', __('Sectors (NAF divisions, e.g. 86,87)', 'offres-emploi')),
            text(props, 'salaire-min', __('Minimum salary (euros)', 'offres-emploi')),
            select(props, 'periode-salaire', __('Salary period', 'offres-emploi'), [
              { value: '', label: __('A month', 'offres-emploi') },
              { value: 'an', label: __('A year', 'offres-emploi') },
              { value: 'heure', label: __('An hour', 'offres-emploi') },
            ]),
            text(props, 'heures-min', __('Hours a week, at least', 'offres-emploi')),
            text(props, 'heures-max', __('Hours a week, at most', 'offres-emploi')),
            select(props, 'origine', __('Offers published by', 'offres-emploi'), [
              { value: '', label: __('France Travail and its partners', 'offres-emploi') },
              { value: 'france-travail', label: __('France Travail only', 'offres-emploi') },
              { value: 'partenaires', label: __('Partner sites only', 'offres-emploi') },
            ])),
          el(PanelBody, { title: __('Appearance', 'offres-emploi'), initialOpen: false },
            text(props, 'titre', __('Title', 'offres-emploi')),
            select(props, 'theme', __('Theme', 'offres-emploi'), [
              { value: '', label: __('Neutral', 'offres-emploi') },
              { value: 'institutionnel', label: __('Institutional', 'offres-emploi') },
              { value: 'contraste', label: __('High contrast', 'offres-emploi') },
              { value: 'sombre', label: __('Dark', 'offres-emploi') },
            ]),
            select(props, 'affichage', __('Display', 'offres-emploi'), [
              { value: '', label: __('As in the settings', 'offres-emploi') },
              { value: 'script', label: __('The widget in the page', 'offres-emploi') },
              { value: 'iframe', label: __('A frame (iframe)', 'offres-emploi') },
            ]),
            toggle(props, 'compact', __('Compact', 'offres-emploi')))),
        el(Placeholder, {
          icon: 'businessperson',
          label: __('Job offers', 'offres-emploi'),
          instructions: summary(a) + '. ' + __('Shown on the published page; settings in the sidebar.', 'offres-emploi'),
        }));
    },
    save: function () {
      return null;
    },
  });
}(window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n));
